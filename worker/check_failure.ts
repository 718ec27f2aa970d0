/** A check failure with the message a person needs to read. */
export class CheckFailure extends Error {
  override name = "CheckFailure";
}
