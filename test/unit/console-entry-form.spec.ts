import {
  changedSince,
  decodeForm,
  emptyEntryForm,
  encodeForm,
  entryFieldsOf,
  fieldId,
  formFieldOfProblem,
  formFromBody,
  mergeOnTop,
  previewRule,
} from '../../src/console/entry-form';

describe('the entry form of the workspace', () => {
  it('drops empty criterion rows, so that the API numbers the rows the page shows again', () => {
    const form = formFromBody({
      'criteria[0].parameter': '',
      'criteria[0].operator': 'LT',
      'criteria[1].parameter': 'capacityMw',
      'criteria[1].operator': 'LTE',
      'criteria[1].threshold': '5',
      'criteria[3].parameter': 'fuel',
      'criteria[3].operator': 'IN',
      'criteria[3].values': 'biogas; biomass',
    });
    expect(form.criteria.map((c) => c.parameter)).toEqual(['capacityMw', 'fuel']);
    expect(entryFieldsOf(form).criteria).toEqual([
      expect.objectContaining({ parameter: 'capacityMw', threshold: 5, values: null }),
      expect.objectContaining({
        parameter: 'fuel',
        threshold: null,
        values: ['biogas', 'biomass'],
      }),
    ]);
  });

  it('passes text typed where a number belongs on as text, for the API to say so at its path', () => {
    const form = formFromBody({ 'criteria[0].parameter': 'x', 'criteria[0].threshold': 'high' });
    expect((entryFieldsOf(form).criteria as { threshold: unknown }[])[0].threshold).toBe('high');
  });

  it('sends only the baseline fields the chosen approach takes, and no empty sections', () => {
    const form = formFromBody({
      'baseline.approach': 'BENCHMARK',
      'baseline.referenceValue': '0.5',
      'baseline.unit': 'tCO2/MWh',
      'baseline.referenceYear': '2025',
      'baseline.annualTighteningPct': '1',
      'baseline.initialAdjustmentPct': '10',
      'baseline.parameterValidation': 'EX_ANTE',
      technologies: 'wind\nsolar; storage',
      sectorCodes: ['ENERGY', 'TRANSPORT'],
    });
    const fields = entryFieldsOf(form);
    expect(fields.baseline).toMatchObject({ approach: 'BENCHMARK', annualTighteningPct: 1 });
    expect(fields.baseline).not.toHaveProperty('initialAdjustmentPct');
    expect(fields.technologies).toEqual(['wind', 'solar', 'storage']);
    expect(fields.sectorCodes).toEqual(['ENERGY', 'TRANSPORT']);
    expect(fields.crediting).toBeNull();
    expect(fields.authorization).toBeNull();
    expect(previewRule(form)).toMatchObject({ referenceValue: 0.5, referenceYear: 2025 });
    expect(previewRule({ ...form, baseline: { ...form.baseline, referenceYear: 'soon' } })).toBe(
      null,
    );
  });

  it('finds the input of an API problem from its path', () => {
    expect(formFieldOfProblem('input.entry.criteria[1].threshold')).toBe('criteria[1].threshold');
    expect(fieldId('criteria[1].threshold')).toBe('f-criteria-1-threshold');
    expect(formFieldOfProblem('input.reason')).toBe('reason');
    expect(formFieldOfProblem('input.entryId')).toBeUndefined();
  });

  it('redoes the person’s change on top of someone else’s, and says what they changed', () => {
    const started = { ...emptyEntryForm(), name: 'Solar', description: '' };
    const now = { ...started, name: 'Solar and wind' };
    const yours = { ...started, description: 'Up to 5 MW', reason: 'size' };
    const merged = mergeOnTop(started, now, yours);
    expect(merged).toMatchObject({ name: 'Solar and wind', description: 'Up to 5 MW' });
    expect(changedSince(started, now, yours)).toEqual([
      { field: 'name', started: 'Solar', now: 'Solar and wind', yours: 'Solar' },
    ]);
    // The version the form started from travels in a hidden field and comes back the same.
    expect(decodeForm(encodeForm(now))).toEqual({ ...now, reason: '' });
    expect(decodeForm('not base64 json')).toBeNull();
  });
});
