// Asks Bound the same creative question many times with the official openai package and no
// temperature (so the API's default, 1.0), and prints what came back; VariantPoolTest judges it.
// Usage: node variants.mjs <Bound base URL ending in /v1> <requests>
import OpenAI from 'openai';

const [baseURL, count] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'sk-node-variants', maxRetries: 0 });
const out = [];
for (let i = 0; i < Number(count); i++) {
  const { data, response } = await client.chat.completions.create({ model: 'sim-model',
    messages: [{ role: 'user', content: 'Invent a name for a lighthouse cat.' }] }).withResponse();
  out.push({ tier: response.headers.get('x-bound-cache'), pool: response.headers.get('x-bound-pool'),
    content: data.choices[0].message.content });
  await new Promise((r) => setTimeout(r, 50)); // lets a fresh answer reach the pool
}
console.log(JSON.stringify(out));
