// npm run upload -- DIR [--bucket NAME] [--local | --remote] [--persist-to DIR] [--serving-only]
// Puts a model folder into R2 (the local bucket of `wrangler dev` by default), manifest last.
import { parseArgs } from 'node:util';
import { uploadModel } from './lib/r2-upload.ts';
import { DEFAULT_BUCKET } from './lib/wrangler.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      bucket: { type: 'string', default: DEFAULT_BUCKET },
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      'serving-only': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new Error('usage: npm run upload -- MODEL_DIR [--bucket NAME] [--local | --remote] [--persist-to DIR] [--serving-only]');
  if (values.local && values.remote) throw new Error('choose one of --local and --remote');
  const dir = positionals[0]!;
  const where = values.remote ? `R2 bucket ${values.bucket}` : `local bucket ${values.bucket}`;
  console.log(`uploading ${dir} to ${where}`);
  await uploadModel(dir, {
    bucket: values.bucket,
    remote: values.remote,
    persistTo: values['persist-to'],
    servingOnly: values['serving-only'],
    log: (line) => console.log(line),
  });
  console.log('done: manifest written last');
}

main().catch((error: Error) => {
  console.error(`upload failed: ${error.message}`);
  process.exit(1);
});
