/** Cross-checks of TLS by name: the hosted zone, domainName and port settings together. */
import { ClusterSettings, HTTPS_PORT, HTTP_REDIRECT_PORT, SETTINGS, usesTls } from "../schema";
import { Label, passes, show } from "../valueCheck";

/**
 * A hosted zone is named one way, by id or by name, and needs `domainName` (the certificate's and
 * the alias record's name), which must lie in the zone when the zone is named (a zone given by id
 * is checked when its lookup answers). With TLS, `port` stays at its default: the listeners are
 * then HTTPS_PORT and HTTP_REDIRECT_PORT, and a `port` of 443 or 8443 would promise what is not built.
 */
export function tlsProblems(settings: ClusterSettings, label: Label): string[] {
    const problems: string[] = [];
    const { hostedZoneId, hostedZoneName, domainName } = settings;
    if (hostedZoneId !== undefined && hostedZoneName !== undefined) {
        problems.push(
            `${label("hostedZoneName")} must not be given with hostedZoneId: name the zone one way, by id or by name; got ${show(hostedZoneName)} and ${show(hostedZoneId)}`,
        );
    }
    if ((hostedZoneId !== undefined || hostedZoneName !== undefined) && domainName === undefined) {
        problems.push(
            `${label("domainName")} is required with ${hostedZoneId !== undefined ? "hostedZoneId" : "hostedZoneName"}: it names the certificate and the alias record; got nothing`,
        );
    }
    if (
        hostedZoneName !== undefined &&
        domainName !== undefined &&
        passes(SETTINGS.hostedZoneName, hostedZoneName) &&
        passes(SETTINGS.domainName, domainName) &&
        !isInZone(domainName, hostedZoneName)
    ) {
        problems.push(
            `${label("domainName")} must be in hostedZoneName ${hostedZoneName}: that name or one ending in .${hostedZoneName}; got ${show(domainName)}`,
        );
    }
    const defaultPort = SETTINGS.port.kind === "integer" ? SETTINGS.port.default : undefined;
    if (usesTls(settings) && passes(SETTINGS.port, settings.port) && settings.port !== defaultPort) {
        problems.push(
            `${label("port")} must stay ${defaultPort} with TLS (certificateArn, hostedZoneId or hostedZoneName): the load balancer then listens on ${HTTPS_PORT} for HTTPS and on ${HTTP_REDIRECT_PORT} only to redirect to it; set appPort for the API's port inside the instances; got ${settings.port}`,
        );
    }
    return problems;
}

/** Whether a DNS name lies in a zone: it is the zone's name or ends with a dot and that name (both lowercase). */
export function isInZone(domainName: string, zoneName: string): boolean {
    return domainName === zoneName || domainName.endsWith(`.${zoneName}`);
}
