import { extendPdfFile, type SignPdfFileOptions } from '../pdf/pdf-file.js';
import { addLtvToUpdate, type AddLtvOptions, type AddLtvResult } from './add-ltv.js';

/**
 * {@link addLtv} by path, for documents of any size: the PDF at `input` is read lazily and `output` is its copy
 * on disk with the validation data appended, written atomically.
 *
 * @example
 * ```ts
 * const { revocation } = await addLtvFile('scan-signed.pdf', 'scan-lt.pdf');
 * ```
 */
export async function addLtvFile(
  input: string,
  output: string,
  options: AddLtvOptions & SignPdfFileOptions = {},
): Promise<Pick<AddLtvResult, 'revocation'>> {
  let revocation: AddLtvResult['revocation'] = [];
  await extendPdfFile(
    input,
    output,
    [
      async (pdf) => {
        const added = await addLtvToUpdate(pdf, options);
        revocation = added.revocation;
        return added.update;
      },
    ],
    options,
  );
  return { revocation };
}
