// Drives Bound through every API it caches with the official Node clients: openai's Responses,
// Anthropic's Messages and the Vercel AI SDK's default OpenAI provider (which calls Responses).
// Prints what each saw as one JSON object; ProtocolClientsTest judges it.
// Usage: node protocols.mjs <bound root URL> <question> <paraphrase>
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { generateText, generateObject, streamText, jsonSchema, tool, stepCountIs } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';

const [root, question, paraphrase] = process.argv.slice(2);
const model = 'sim-model';
// One key for every client: the key names the tenant, and answers are shared within a tenant.
const openai = new OpenAI({ baseURL: `${root}/v1`, apiKey: 'sk-node-protocols', maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: root, apiKey: 'sk-node-protocols', maxRetries: 0 });
const vercel = createOpenAI({ baseURL: `${root}/v1`, apiKey: 'sk-node-protocols' });
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const settle = () => wait(400); // answers are stored off the response path

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};
const citySchema = {
  type: 'object',
  properties: { name: { type: 'string' }, population: { type: 'integer' }, coastal: { type: 'boolean' } },
  required: ['name', 'population', 'coastal'],
  additionalProperties: false,
};

function outputText(response) {
  return response.output.filter((i) => i.type === 'message')
    .flatMap((i) => i.content).filter((c) => c.type === 'output_text').map((c) => c.text).join('');
}

async function responses(input, extra = {}) {
  const { data, response } = await openai.responses
    .create({ model, input, temperature: 0, ...extra }).withResponse();
  return { tier: response.headers.get('x-bound-cache'), text: data.output_text, status: data.status,
    id: data.id, calls: data.output.filter((i) => i.type === 'function_call'),
    inputTokens: data.usage?.input_tokens ?? null };
}

async function responsesStream(input) {
  const { data: stream, response } = await openai.responses
    .create({ model, input, temperature: 0, stream: true }).withResponse();
  let text = '';
  let completed = null;
  const types = [];
  for await (const event of stream) {
    if (!types.includes(event.type)) types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  return { tier: response.headers.get('x-bound-cache'), text,
    completedText: completed ? outputText(completed) : null, types };
}

async function messages(content, extra = {}) {
  // The current Messages API has no temperature: Bound runs with cache.assumed-temperature=0.
  const { data, response } = await anthropic.messages.create({ model, max_tokens: 256,
    messages: [{ role: 'user', content }], ...extra }).withResponse();
  return { tier: response.headers.get('x-bound-cache'),
    text: data.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    stop: data.stop_reason, toolUse: data.content.filter((b) => b.type === 'tool_use'),
    outputTokens: data.usage.output_tokens };
}

async function messagesStream(content) {
  const stream = anthropic.messages.stream({ model, max_tokens: 256,
    messages: [{ role: 'user', content }] });
  const types = [];
  stream.on('streamEvent', (e) => { if (!types.includes(e.type)) types.push(e.type); });
  const { response } = await stream.withResponse();
  const final = await stream.finalMessage();
  return { tier: response.headers.get('x-bound-cache'),
    text: final.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    stop: final.stop_reason, outputTokens: final.usage.output_tokens, types };
}

async function vercelText(prompt) {
  const r = await generateText({ model: vercel(model), prompt, temperature: 0 });
  return { tier: r.response.headers?.['x-bound-cache'] ?? null, text: r.text };
}

async function vercelStream(prompt) {
  const r = streamText({ model: vercel(model), prompt, temperature: 0 });
  let text = '';
  for await (const piece of r.textStream) text += piece;
  const response = await r.response;
  return { tier: response.headers?.['x-bound-cache'] ?? null, text };
}

async function vercelObject(prompt) {
  const r = await generateObject({ model: vercel(model), prompt, temperature: 0,
    schema: jsonSchema(citySchema) });
  return { tier: r.response.headers?.['x-bound-cache'] ?? null, object: r.object };
}

async function vercelTools(prompt) {
  const r = await generateText({ model: vercel(model), prompt, temperature: 0,
    tools: { get_weather: tool({ description: 'The weather in a city',
      inputSchema: jsonSchema(weatherSchema), execute: async ({ city }) => `sunny in ${city}` }) },
    stopWhen: stepCountIs(3) });
  return { steps: r.steps.length, toolCalls: r.steps.flatMap((s) => s.toolCalls).map((c) => c.toolName),
    toolResults: r.steps.flatMap((s) => s.toolResults).map((t) => t.output), text: r.text };
}

const out = {};
try {
  // Responses: miss, exact hit, semantic hit, streamed replay.
  out.respFirst = await responses(question);
  await settle();
  out.respExact = await responses(question);
  out.respSemantic = await responses(paraphrase);
  out.respStream = await responsesStream(question);
  // Structured output and tools through Responses.
  const format = { format: { type: 'json_schema', name: 'city', schema: citySchema, strict: true } };
  out.respJsonFirst = await responses('Describe the city of Lyon as JSON.', { text: format });
  await settle();
  out.respJsonSecond = await responses('Describe the city of Lyon as JSON.', { text: format });
  const tools = [{ type: 'function', name: 'get_weather', description: 'The weather in a city',
    parameters: weatherSchema, strict: true }];
  out.respToolFirst = await responses('What is the weather in Paris? Use the tool get_weather.', { tools });
  await settle();
  out.respToolSecond = await responses('What is the weather in Paris? Use the tool get_weather.', { tools });

  // Anthropic Messages: miss, exact hit, streamed replay, tools.
  out.msgFirst = await messages('Why is the sky blue?');
  await settle();
  out.msgExact = await messages('Why is the sky blue?');
  out.msgStream = await messagesStream('Why is the sky blue?');
  const anthropicTools = [{ name: 'get_weather', description: 'The weather in a city',
    input_schema: weatherSchema }];
  out.msgToolFirst = await messages('What is the weather in Rome? Use the tool get_weather.', { tools: anthropicTools });
  await settle();
  out.msgToolSecond = await messages('What is the weather in Rome? Use the tool get_weather.', { tools: anthropicTools });

  // One cache for every API: a chat answer serves Responses and Messages asking the same.
  const cross = 'What is the tallest mountain in Africa?';
  const chat = await openai.chat.completions.create({ model, temperature: 0, max_tokens: 256,
    messages: [{ role: 'user', content: cross }] }).withResponse();
  out.crossChat = { tier: chat.response.headers.get('x-bound-cache'),
    text: chat.data.choices[0].message.content };
  await settle();
  out.crossResponses = await responses(cross, { max_output_tokens: 256 });
  out.crossMessages = await messages(cross);

  // The Vercel AI SDK's default provider: text, stream, object, tools.
  out.vercelFirst = await vercelText('Name three uses of copper.');
  await settle();
  out.vercelSecond = await vercelText('Name three uses of copper.');
  out.vercelStream = await vercelStream('Name three uses of copper.');
  out.vercelObjectFirst = await vercelObject('Describe the city of Porto.');
  await settle();
  out.vercelObjectSecond = await vercelObject('Describe the city of Porto.');
  out.vercelTools = await vercelTools('What is the weather in Oslo? Use the tool get_weather.');
} catch (e) {
  out.error = String(e?.stack ?? e);
}
console.log(JSON.stringify(out));
