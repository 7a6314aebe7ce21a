import type { AddressInfo, Server } from "node:net";

/** The loopback port a stand-in's server listens on; asking before it listens is the test's bug, said so. */
export function listeningPort(server: Pick<Server, "address"> | undefined, standIn: string): number {
  const address: AddressInfo | string | null | undefined = server?.address();
  if (address === undefined || address === null || typeof address === "string") {
    throw new Error(`${standIn} is not listening on a TCP port: start it before asking for its address`);
  }
  return address.port;
}
