/**
 * The api-cluster component package's entry module (package.json `main`): what consumers import,
 * and what Pulumi loads to serve ApiCluster to Python, Go, C#, Java and YAML programs. It only
 * re-exports; loading it registers no resource. The stack program is index.ts (Pulumi.yaml `main`).
 */
export { API_CLUSTER_TYPE, ApiCluster } from "./apiCluster";
export type { ApiClusterArgs, ClusterInstanceInfo } from "./apiCluster";
export { AppSource, FleetMode, NetworkMode, StickinessType } from "./config/schema";
export type { App, ClusterSettingsArgs, ExistingNetwork, HealthCheck, Stickiness } from "./config/schema";
export { SettingsError } from "./config/validate";
