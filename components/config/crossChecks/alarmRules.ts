/** Cross-checks of the alarm settings: each email once, and emails only when there are alarms to send. */
import { ClusterSettings, SETTINGS } from "../schema";
import { Label, passes, show } from "../valueCheck";

/**
 * `alarmEmails` holds each address once (SNS would subscribe it twice, and the second confirmation
 * mail would confuse its owner), compared without regard to case as mail domains are; and it is
 * refused with `alarms` false, since no topic exists then to subscribe to.
 */
export function alarmEmailProblems(settings: ClusterSettings, label: Label): string[] {
    const emails = settings.alarmEmails;
    if (!passes(SETTINGS.alarmEmails, emails)) {
        return [];
    }
    const problems: string[] = [];
    const seen = new Map<string, number>();
    emails.forEach((email, i) => {
        const first = seen.get(email.toLowerCase());
        if (first !== undefined) {
            problems.push(
                `${label(`alarmEmails[${i}]`)} must name each address once; got ${show(email)} again (first at alarmEmails[${first}])`,
            );
        } else {
            seen.set(email.toLowerCase(), i);
        }
    });
    if (settings.alarms === false && emails.length > 0) {
        problems.push(
            `${label("alarmEmails")} must be empty with alarms false: there is no alarm topic to subscribe to; got ${show(emails)}`,
        );
    }
    return problems;
}
