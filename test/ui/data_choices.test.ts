// The data form: choices per task from the person's picks, column uses deciding what each column may be.
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/index';
import { choicesFromForm, EMPTY_FORM, formFromChoices, inputOptions, switchTask, targetOptions } from '../../src/ui/data_choices';
import { shapesCsv } from '../../src/data/examples/shapes';
import { columnView, tableWithUses } from '../../src/worker/column_uses';
import { dataView, loadData, withChoices } from '../../src/worker/data_host';

const CSV = 'date,station,temp,weather\n2020-01-01,a,1.5,rain\n2020-01-02,a,2.5,sun\n2020-01-03,a,3,rain\n';

describe('data form', () => {
  it('offers numbers as forecast targets, categories and whole numbers as labels', async () => {
    const table = await parseCsvString(CSV);
    const cols = table.columns.map(columnView);
    const form = { ...EMPTY_FORM, uses: cols.map((c) => c.uses[0]) };
    expect(targetOptions(form, cols)).toEqual(['temp']);
    expect(targetOptions({ ...form, task: 'classify-sequences' }, cols)).toEqual(['station', 'weather']);
    expect(inputOptions({ ...form, target: 'temp', timeColumn: 'date' }, cols)).toEqual(['station', 'weather']);
  });

  it('turns a forecast form into choices, splitting numeric inputs from categories', async () => {
    const table = await parseCsvString(CSV);
    const cols = table.columns.map(columnView);
    const form = { ...EMPTY_FORM, target: 'temp', timeColumn: 'date', inputs: ['weather'], window: '2', uses: cols.map((c) => c.uses[0]) };
    const { choices, problems } = choicesFromForm(form, cols, 7);
    expect(problems).toEqual([]);
    expect(choices).toMatchObject({ task: 'forecast', targets: ['temp'], inputs: [], categories: ['weather'], timeColumn: 'date', window: 2, seed: 7 });
    expect(choicesFromForm({ ...form, window: 'abc' }, cols, 7).problems[0]).toMatch(/Window must be a whole number/);
  });

  it('switching to classification picks a label column', async () => {
    const table = await parseCsvString(shapesCsv(40, 12));
    const cols = table.columns.map(columnView);
    const form = switchTask({ ...EMPTY_FORM, target: 't1', uses: cols.map((c) => c.uses[0]) }, 'classify-sequences', cols, 40);
    expect(form.target).toBe('label');
    expect(form.format).toBe('wide');
  });

  it('a number column used as a category becomes text the data layer can one-hot', async () => {
    const table = await parseCsvString('t,v,code\n1,2,7\n2,3,8\n3,4,7\n');
    const used = tableWithUses(table, ['number', 'number', 'category']);
    expect(used.columns[2].kind).toBe('text');
    expect(table.columns[2].kind).toBe('number');
    const back = tableWithUses(await parseCsvString('a,b\nx,1\n"1,5",2\n'), ['number', 'number']);
    expect(back.columns[0].kind).toBe('number');
  });
});

describe('worker data host', () => {
  it('loads the shapes example as a classification set and rebuilds it with new choices', async () => {
    const loaded = await loadData({ kind: 'example', id: 'shapes' }, undefined, () => undefined);
    const view = dataView(loaded);
    expect(view.set?.task).toBe('classify-sequences');
    expect(view.set?.classNames).toEqual(['pulse', 'sawtooth', 'sine', 'square'].filter((c) => view.set!.classNames!.includes(c)));
    expect(view.set?.classNames).toHaveLength(4);
    expect(view.preview[0][0]).toBe('sine');
    const form = formFromChoices(view.choices!, view.set!.window, view.columns, EMPTY_FORM);
    expect(form.target).toBe('label');
    const bad = withChoices(loaded, { ...loaded.choices!, valFraction: 5 } as never, loaded.uses);
    expect(bad.set).toBeNull();
    expect(bad.problem).toBeTruthy();
  });

  it('refuses a file whose target holds text, naming the row, and says where values are missing', async () => {
    const lines = ['time,value', ...Array.from({ length: 60 }, (_, r) => `${r},${r === 41 ? 'x' : Math.sin(r)}`)];
    const blob = new Blob([lines.join('\n')]);
    await expect(loadData({ kind: 'file', file: blob, name: 'bad.csv' }, undefined, () => undefined)).rejects.toThrow(/Row 42 .*"value": "x"/);
    const gaps = new Blob(['time,value\n0,1\n1,2\n2,\n3,4\n']);
    await expect(loadData({ kind: 'file', file: gaps, name: 'gap.csv' }, undefined, () => undefined)).rejects.toThrow(/row 3\b/);
  });
});
