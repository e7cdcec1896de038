// Asks Bound the same question twice, plainly and streamed, with the official openai package,
// and prints what came back as one JSON object. NodeClientTest judges it.
import OpenAI from 'openai';

const baseURL = process.argv[2];
const client = new OpenAI({ baseURL, apiKey: 'sk-node-test', maxRetries: 0 });
const question = process.argv[3] ?? 'What does a node client see?';
const params = { model: 'sim-model', temperature: 0, messages: [{ role: 'user', content: question }] };

async function plain() {
  const { data, response } = await client.chat.completions.create(params).withResponse();
  return { tier: response.headers.get('x-bound-cache'), content: data.choices[0].message.content,
    finish: data.choices[0].finish_reason };
}

async function streamed() {
  const { data: stream, response } = await client.chat.completions
    .create({ ...params, stream: true, stream_options: { include_usage: true } }).withResponse();
  let content = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      content += choice.delta?.content ?? '';
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  return { tier: response.headers.get('x-bound-cache'), content, finish, chunks,
    completionTokens: usage?.completion_tokens ?? null };
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const out = {};
out.plainFirst = await plain();
await wait(300); // the answer is stored off the response path
out.plainSecond = await plain();
out.streamFirst = await streamed();
out.streamSecond = await streamed();
console.log(JSON.stringify(out));
