/** A large, valid scenario document (plain data) of about `bytes` bytes as JSON. */
export declare function bigScenario(bytes: number, o?: { flows?: number }): { doc: Record<string, unknown> & { flows: Array<{ name: string; steps: Array<Record<string, unknown>> }> }; bytes: number };
