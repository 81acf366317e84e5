/** The errors a versioned-record repository throws: conflicts, missing records, unreadable records. */
export class RecordConflictError extends Error {
  constructor(
    readonly repository: string,
    readonly id: string,
    message: string,
  ) {
    super(`${repository}/${id}: ${message}`);
    this.name = 'RecordConflictError';
  }
}

export class RecordNotFoundError extends Error {
  constructor(
    readonly repository: string,
    readonly id: string,
  ) {
    super(`${repository}/${id}: no such record`);
    this.name = 'RecordNotFoundError';
  }
}

/** A stored record that cannot be read: newer schema than this code, or data that fails the schema. */
export class RecordUnreadableError extends Error {
  constructor(
    readonly repository: string,
    readonly id: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${repository}/${id}: ${message}`, options);
    this.name = 'RecordUnreadableError';
  }
}
