import fc from 'fast-check';

/**
 * Runs a plain reader's differential check, `expectAgreement` (the reader gives up or agrees with
 * its schema; true when it answered), on `numRuns` generated objects handed over as JSON.parse or
 * a YAML reader would (no undefined values), and returns how many the reader answered for. The
 * caller checks that count: a fair share of generated objects must be valid, or the property
 * would only ever see the reader give up.
 */
export function answeredAgreeing(
  objects: fc.Arbitrary<unknown>,
  expectAgreement: (object: Record<string, unknown>) => boolean,
  numRuns: number,
): number {
  let answered = 0;
  fc.assert(
    fc.property(objects, (object) => {
      if (expectAgreement(JSON.parse(JSON.stringify(object)) as Record<string, unknown>)) answered++;
    }),
    { numRuns, seed: 20261205 },
  );
  return answered;
}
