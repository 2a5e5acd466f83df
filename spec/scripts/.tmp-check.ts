import Ajv2020 from 'ajv/dist/2020.js';
import { Validator } from '@cfworker/json-schema';
import { readFileSync, readdirSync } from 'node:fs';
const dir = 'spec/generated/json-schema/';
const files = readdirSync(dir);
const ajv = new (Ajv2020 as any)({ strict: true });
const schemas = files.map((f) => JSON.parse(readFileSync(dir + f, 'utf8')));
for (const s of schemas) { try { ajv.addSchema(s); } catch (e) { console.log('add', s.$id, (e as Error).message); } }
for (const s of schemas) { try { ajv.getSchema(s.$id); } catch (e) { console.log('ajv', s.$id, (e as Error).message); } }
for (const s of schemas) { try { const v = new Validator(s, '2020-12'); for (const o of schemas) v.addSchema(o); v.validate({}); } catch (e) { console.log('cfw', s.$id, (e as Error).message); } }
