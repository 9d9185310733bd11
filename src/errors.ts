/**
 * A request touchline refuses: bad input, a policy (SPEC §6), a missing prerequisite.
 * The command line exits with status 2 and prints the message on stderr.
 */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}
