/** The shapes of the offline mocks' tables: an invoke's or a resource's inputs and results, and one mock of each kind. */
import type { OfflineAccount } from "./account";

export type Inputs = Record<string, any>;
export type InvokeMock = (inputs: Inputs, account: OfflineAccount) => Inputs;
export type OutputMock = (name: string, inputs: Inputs, account: OfflineAccount) => Inputs;
