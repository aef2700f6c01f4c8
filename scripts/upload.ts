// npm run upload -- DIR [--bucket NAME] [--local | --remote] [--persist-to DIR] [--serving-only]
// npm run upload -- --glossary FILE --pair en-es --name NAME [--bucket NAME] [--local | --remote] [--persist-to DIR]
// Puts a model folder into R2 (the local bucket of `wrangler dev` by default), manifest last; or a
// glossary (TSV `source<TAB>target` lines, or a JSON array of {"source", "target"}), validated as the
// worker validates it, at glossaries/<source>-<target>/<name>.json, where requests with
// `options.glossary_id: NAME` for that pair find it (a worker reads it again within a minute).
import { parseArgs } from 'node:util';
import { parsePair } from './lib/glossary-file.ts';
import { uploadGlossary, uploadModel } from './lib/r2-upload.ts';
import { DEFAULT_BUCKET } from './lib/wrangler.ts';

const USAGE = [
  'usage: npm run upload -- MODEL_DIR [--bucket NAME] [--local | --remote] [--persist-to DIR] [--serving-only]',
  '       npm run upload -- --glossary FILE --pair SOURCE-TARGET --name NAME [--bucket NAME] [--local | --remote] [--persist-to DIR]',
].join('\n');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      bucket: { type: 'string', default: DEFAULT_BUCKET },
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      'serving-only': { type: 'boolean', default: false },
      glossary: { type: 'string' },
      pair: { type: 'string' },
      name: { type: 'string' },
    },
  });
  if (values.local && values.remote) throw new Error('choose one of --local and --remote');
  const where = values.remote ? `R2 bucket ${values.bucket}` : `local bucket ${values.bucket}`;
  const store = { bucket: values.bucket, remote: values.remote, persistTo: values['persist-to'], log: (line: string) => console.log(line) };
  if (values.glossary !== undefined) {
    if (positionals.length > 0 || values.pair === undefined || values.name === undefined) throw new Error(USAGE);
    console.log(`uploading glossary ${values.glossary} to ${where}`);
    await uploadGlossary(values.glossary, parsePair(values.pair), values.name, store);
    console.log(`done: requests for ${values.pair} use it with "options": {"glossary_id": "${values.name}"}`);
    return;
  }
  if (positionals.length !== 1) throw new Error(USAGE);
  const dir = positionals[0]!;
  console.log(`uploading ${dir} to ${where}`);
  await uploadModel(dir, { ...store, servingOnly: values['serving-only'] });
  console.log('done: manifest written last');
}

main().catch((error: Error) => {
  console.error(`upload failed: ${error.message}`);
  process.exit(1);
});
