/**
 * Reads files out of a zip archive (a Lambda code package) with yauzl, within limits: the
 * archive is customer data, so entries are read lazily, their count is capped, and each
 * entry's inflated size is capped (yauzl also checks that the inflated bytes match the size
 * the directory declares, so a lying header cannot get past the cap).
 */
import yauzl, { type Entry, type ZipFile } from "yauzl";

export interface ZipLimits {
  /** Most entries an archive may list. */
  maxEntries: number;
  /** Largest inflated size of one extracted entry; larger ones are skipped. */
  maxEntryBytes: number;
  /** Largest inflated size of all extracted entries together; reading stops beyond it. */
  maxTotalBytes: number;
}

/** Source-map limits of code packages (documented in README, "Source maps"). */
export const CODE_PACKAGE_LIMITS: ZipLimits = {
  maxEntries: 100_000,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
};

export class ZipLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipLimitError";
  }
}

function open(zip: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, file) => (err ? reject(err) : resolve(file))));
}

function readEntry(file: ZipFile, entry: Entry, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    file.openReadStream(entry, (err, stream) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > max) {
          stream.destroy();
          reject(new ZipLimitError(`${entry.fileName} inflates to more than ${max} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * The files of `zip` whose names pass `want`, by name. Entries larger than
 * `limits.maxEntryBytes` are skipped; more than `limits.maxEntries` entries, or more than
 * `limits.maxTotalBytes` extracted in all, throw a ZipLimitError.
 */
export async function extractFiles(zip: Buffer, want: (name: string) => boolean, limits: ZipLimits = CODE_PACKAGE_LIMITS): Promise<Map<string, Buffer>> {
  let file: ZipFile;
  try {
    file = await open(zip);
  } catch (err) {
    throw new Error(`not a zip archive: ${(err as Error).message}`);
  }
  if (file.entryCount > limits.maxEntries) {
    file.close();
    throw new ZipLimitError(`the archive lists ${file.entryCount} entries, more than ${limits.maxEntries}`);
  }
  const out = new Map<string, Buffer>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      file.on("error", reject);
      file.on("end", () => resolve());
      file.on("entry", (entry: Entry) => {
        const name = entry.fileName;
        if (name.endsWith("/") || !want(name) || entry.uncompressedSize > limits.maxEntryBytes) {
          file.readEntry();
          return;
        }
        if (total + entry.uncompressedSize > limits.maxTotalBytes) {
          reject(new ZipLimitError(`the archive's files inflate to more than ${limits.maxTotalBytes} bytes`));
          return;
        }
        readEntry(file, entry, Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total)).then((data) => {
          total += data.length;
          out.set(name, data);
          file.readEntry();
        }, reject);
      });
      file.readEntry();
    });
  } finally {
    file.close();
  }
  return out;
}
