export {};
// A cold process: from its start (imports included) to the three seed documents built,
// or (argument "empty") to one empty docx, the floor. Prints CPU and wall milliseconds.
const empty = process.argv[2] === 'empty';
if (empty) {
  const { Document, Packer, Paragraph } = await import('docx');
  await Packer.toArrayBuffer(new Document({ sections: [{ children: [new Paragraph({})] }] }));
} else {
  const [{ buildDocuments }, { assess }, { defaultTemplate, examples }] = await Promise.all([
    import('../../src/documents'),
    import('../../src/domain/evaluate'),
    import('../../src/domain/registry'),
  ]);
  const template = defaultTemplate();
  const seed = examples['wuhua-2024'];
  await buildDocuments({ template, answers: seed.answers, assessment: assess(template, seed.answers, seed.problems), year: seed.year });
}
// CPU time since the process started (wall clock too, for the note)
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() }));
