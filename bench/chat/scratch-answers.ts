import { createChatFixture } from '../../src/features/chat/testing/chat-fixture.ts'
const f = await createChatFixture({ rows: 600 })
let conv: string | undefined
for (const q of ['how many Acer monitors are in Lisbon?', 'show me IT-0042', 'What is the model of tag IT-0042?', 'total cost of Dell laptops',
  'average cost per brand', 'which site has the fewest devices', 'what is the priciest laptop', 'which brands do we have',
  'how many devices in Narnia', 'who is areyes?', 'how many unassigned laptops', 'how many devices are not active', 'list the Dell laptops in Lisbon', 'teams holding over 20 devices', 'how many brands are there']) {
  const a = await f.ask(q, conv)
  console.log(q, '→', a.answer, '| conf', a.confidence, a.alternatives.length ? a.alternatives : '')
}
await f.stop()
