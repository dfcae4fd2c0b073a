import { chat, zhang, text } from './test/conversation/helpers';
const c = chat();
await c.say(zhang, '新建评价 测试项目 2024');
await c.say(zhang, '填写 产出质量');
await c.say(zhang, '甲 4 正向 100 100 % 4\n乙 3 正向 100 100 % 3');
console.log(text(await c.say(zhang, '否')));
console.log(text(await c.say(zhang, '进度')).match(/产出质量[^\]]*\]/)?.[0]);
