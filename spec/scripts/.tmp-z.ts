import { z } from 'zod';
const a = z.string().refine((s) => s !== 'x').meta({ not: { pattern: '^x' } });
const b = a.meta({ description: 'hello' });
console.log(JSON.stringify(z.toJSONSchema(z.object({ b, a }), { io: 'input' })));
console.log(a._zod.def.checks?.length, b._zod.def.checks?.length, a._zod.def.checks?.[0] === b._zod.def.checks?.[0]);
