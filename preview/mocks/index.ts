/**
 * The offline AWS world: Pulumi mocks that answer every invoke this program makes with realistic,
 * deterministic values, and give every resource the computed outputs AWS would give it.
 *
 * The offline preview and the tests both use this module, so what the tests check is what the
 * preview prints. An invoke without an entry in `invokeMocks` fails and names its token.
 *
 * One module per concern, re-exported here: account.ts (the fake account's network), invokes.ts
 * (the invoke mocks), outputs.ts (the computed-output mocks), awsxVpc.ts (the awsx VPC's layout),
 * tls.ts (Route 53 and ACM for TLS by name), registered.ts (the registration records),
 * offlineMocks.ts (the OfflineMocks class), fakeValues.ts and mockTypes.ts (what they share).
 */
export { OFFLINE_ACCOUNT_ID, OFFLINE_DEPLOYER_ROLE, OfflineAccount } from "./account";
export type { OfflineDefaultRoute, OfflineRouteTable, OfflineSubnet } from "./account";
export { awsxAutoLayout } from "./awsxVpc";
export { autoName, fakeHex } from "./fakeValues";
export { invokeMocks } from "./invokes";
export { OfflineMocks } from "./offlineMocks";
export { outputMocks } from "./outputs";
export type { RegisteredAlias, RegisteredHooks, RegisteredResource } from "./registered";
export { OFFLINE_HOSTED_ZONES, offlineZoneId } from "./tls";
export type { OfflineHostedZone } from "./tls";
