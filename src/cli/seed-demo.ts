/* eslint-disable no-console -- a command-line tool talks to its terminal */
// Long on purpose (~900 lines): mostly data, the illustrative demo countries, sectors and
// list entries written out in full so a reader sees realistic lists.
import { INestApplicationContext } from '@nestjs/common';
import { toPrincipal } from '../principals/authenticator';
import { AuthenticatedPrincipal, RequestContext } from '../auth/principal';
import { PrincipalsService } from '../principals/principals.service';
import { Role } from '../auth/role';
import { AppConfig } from '../config/config';
import { CountriesService } from '../countries/countries.service';
import { IpccSector } from '../countries/ipcc';
import { Clock } from '../common/clock';
import { withDomain } from './open';
import { EntryFieldsInput } from '../positive-lists/entry-rules';
import {
  AuthorizedUse,
  BaselineApproach,
  ComparisonOperator,
  EntryKind,
  NdcComponent,
  ParameterValidation,
} from '../positive-lists/list-types';
import { ListsRepository } from '../positive-lists/lists.repository';
import { DraftingService } from '../positive-lists/drafting.service';
import { ListWorkflowService } from '../positive-lists/list-workflow.service';

/**
 * Illustrative demo data: realistic in shape (drawn from docs/domain.md section 1) but NOT the
 * official lists of any country. Everything is written through the domain services, so every
 * write is validated and lands in the audit trail like any other change.
 */

const DEMO = 'Illustrative demo data (not official)';
const REQUEST_ID = 'seed-demo';
const DEMO_LEGAL_BASIS = 'Illustrative demo legal basis (not an actual legal instrument)';

export interface DemoKey {
  name: string;
  role: string;
  country: string;
  apiKey: string;
}

export interface SeedDemoResult {
  /** The demo countries loaded by this run. */
  loaded: string[];
  /** The demo countries left alone, each with why. */
  skipped: { code: string; why: string }[];
  keys: DemoKey[];
}

interface DemoSector {
  code: string;
  name: string;
  ipccSector: IpccSector;
  ipccCategories: string[];
}

interface DemoCountry {
  code: string;
  name: string;
  ndc: { title: string; version: string; submittedOn: string; netZeroTargetYear: number };
  sectors: DemoSector[];
}

/** Adds `days` to a YYYY-MM-DD date, in UTC. */
function addDaysUtc(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const reason = (what: string) => `${DEMO}: ${what}`;
const demoText = (what: string) => `Illustrative demo entry (not official). ${what}`;

const COUNTRIES: DemoCountry[] = [
  {
    code: 'GHA',
    name: 'Ghana (illustrative demo)',
    ndc: {
      title: 'Updated NDC (illustrative demo reference, not official)',
      version: '2021 update',
      submittedOn: '2021-11-04',
      netZeroTargetYear: 2060,
    },
    sectors: [
      {
        code: 'ENERGY',
        name: 'Energy (power, industry, buildings)',
        ipccSector: IpccSector.ENERGY,
        ipccCategories: ['1.A.1.a', '1.A.2', '1.A.4.a', '1.A.4.b', '1.B.2'],
      },
      {
        code: 'TRANSPORT',
        name: 'Transport',
        ipccSector: IpccSector.ENERGY,
        ipccCategories: ['1.A.3.b', '1.A.3.c'],
      },
      {
        code: 'IPPU',
        name: 'Industrial processes and product use (cooling)',
        ipccSector: IpccSector.IPPU,
        ipccCategories: ['2.F.1'],
      },
      {
        code: 'AFOLU',
        name: 'Agriculture, forestry and other land use',
        ipccSector: IpccSector.AFOLU,
        ipccCategories: ['3.B.1', '3.C.1'],
      },
      {
        code: 'WASTE',
        name: 'Waste',
        ipccSector: IpccSector.WASTE,
        ipccCategories: ['4.A', '4.B', '4.D'],
      },
    ],
  },
  {
    code: 'THA',
    name: 'Thailand (illustrative demo)',
    ndc: {
      title: 'Second updated NDC (illustrative demo reference, not official)',
      version: '2022 update',
      submittedOn: '2022-11-02',
      netZeroTargetYear: 2065,
    },
    sectors: [
      {
        code: 'ENERGY',
        name: 'Energy (power, industry, CO2 storage)',
        ipccSector: IpccSector.ENERGY,
        ipccCategories: ['1.A.1.a', '1.A.2', '1.C'],
      },
      {
        code: 'TRANSPORT',
        name: 'Transport (road and aviation)',
        ipccSector: IpccSector.ENERGY,
        ipccCategories: ['1.A.3.a', '1.A.3.b'],
      },
      {
        code: 'IPPU',
        name: 'Industrial processes (cement, F-gases)',
        ipccSector: IpccSector.IPPU,
        ipccCategories: ['2.A.1', '2.F.1'],
      },
      {
        code: 'AGRICULTURE',
        name: 'Agriculture and forestry',
        ipccSector: IpccSector.AFOLU,
        ipccCategories: ['3.C.7', '3.B.1'],
      },
      {
        code: 'WASTE',
        name: 'Waste',
        ipccSector: IpccSector.WASTE,
        ipccCategories: ['4.A', '4.D'],
      },
    ],
  },
  {
    code: 'KEN',
    name: 'Kenya (illustrative demo)',
    ndc: {
      title: 'Updated NDC (illustrative demo reference, not official)',
      version: '2020 update',
      submittedOn: '2020-12-28',
      netZeroTargetYear: 2050,
    },
    sectors: [
      {
        code: 'ENERGY',
        name: 'Energy',
        ipccSector: IpccSector.ENERGY,
        ipccCategories: ['1.A.1.a', '1.A.4.b'],
      },
      {
        code: 'AFOLU',
        name: 'Forestry and agriculture',
        ipccSector: IpccSector.AFOLU,
        ipccCategories: ['3.B.1', '3.A.2'],
      },
      {
        code: 'WASTE',
        name: 'Waste',
        ipccSector: IpccSector.WASTE,
        ipccCategories: ['4.A'],
      },
    ],
  },
];

const CA_AUTHORIZATION = {
  authorizedUses: [AuthorizedUse.NDC, AuthorizedUse.OIMP],
  correspondingAdjustment: true,
  shareRetainedForNdcPct: 20,
  shareOfProceedsPct: 5,
  omgeCancellationPct: 2,
};

function negative(
  key: string,
  name: string,
  technologies: string[],
  sectorCodes: string[],
  what: string,
  ndcMeasureRef: string,
): EntryFieldsInput {
  return {
    key,
    kind: EntryKind.NEGATIVE,
    name,
    description: demoText(what),
    technologies,
    sectorCodes,
    ndcComponent: NdcComponent.UNCONDITIONAL,
    ndcMeasureRef,
    criteria: [],
    methodologies: [],
    baseline: null,
    legalBasis: DEMO_LEGAL_BASIS,
  };
}

function ghanaSolarUtility(capacityLimitMW: number): EntryFieldsInput {
  return {
    key: 'GHA-SOLAR-UTILITY',
    kind: EntryKind.POSITIVE,
    name: 'Utility-scale solar PV',
    description: demoText('Grid-connected solar parks feeding the national grid.'),
    technologies: ['solar PV'],
    sectorCodes: ['ENERGY'],
    ndcComponent: NdcComponent.CONDITIONAL,
    ndcMeasureRef: 'Illustrative conditional programme: utility-scale solar and wind',
    additionalityRationale:
      'Illustrative: part of the conditional NDC, not financed without carbon finance; solar below 5% of grid capacity.',
    criteria: [
      {
        parameter: 'capacityMW',
        operator: ComparisonOperator.LTE,
        threshold: capacityLimitMW,
        unit: 'MW',
      },
      {
        parameter: 'gridPenetrationPct',
        operator: ComparisonOperator.LT,
        threshold: 5,
        unit: '%',
        description: 'Installed solar capacity over total grid capacity (Gold Standard default)',
      },
    ],
    methodologies: ['CDM ACM0002', 'CDM AMS-I.D'],
    baseline: {
      approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
      description: 'Illustrative: grid emission factor, 10% below BAU, tightening 1% a year',
      referenceValue: 0.8,
      unit: 'tCO2e/MWh',
      referenceYear: 2025,
      initialAdjustmentPct: 10,
      annualTighteningPct: 1,
      parameterValidation: ParameterValidation.EX_ANTE,
      methodologyReference: 'CDM ACM0002',
    },
    crediting: { periodYears: 5, renewals: 2 },
    authorization: CA_AUTHORIZATION,
    legalBasis: DEMO_LEGAL_BASIS,
  };
}

function ghanaV1Entries(): EntryFieldsInput[] {
  return [
    ghanaSolarUtility(50),
    {
      key: 'GHA-SOLAR-MINIGRID',
      kind: EntryKind.POSITIVE,
      name: 'Solar mini-grids',
      description: demoText('Off-grid and island solar mini-grids for rural communities.'),
      technologies: ['solar mini-grid', 'battery storage'],
      sectorCodes: ['ENERGY'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative conditional programme: solar mini-grids',
      additionalityRationale:
        'Illustrative: rural electrification beyond the unconditional NDC, displacing diesel gensets.',
      criteria: [
        { parameter: 'capacityMW', operator: ComparisonOperator.LTE, threshold: 5, unit: 'MW' },
        {
          parameter: 'region',
          operator: ComparisonOperator.IN,
          values: ['Northern', 'Upper East', 'Upper West', 'Savannah'],
        },
      ],
      methodologies: ['CDM AMS-I.L', 'CDM AMS-I.F'],
      baseline: {
        approach: BaselineApproach.BENCHMARK,
        description: 'Illustrative: diesel mini-grid benchmark, tightening 2% a year',
        referenceValue: 0.9,
        unit: 'tCO2e/MWh',
        referenceYear: 2025,
        annualTighteningPct: 2,
        parameterValidation: ParameterValidation.EX_ANTE,
      },
      crediting: { periodYears: 7, renewals: 1 },
      authorization: CA_AUTHORIZATION,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'GHA-LANDFILL-GAS',
      kind: EntryKind.POSITIVE,
      name: 'Landfill gas capture and use',
      description: demoText('Capture of landfill methane for flaring or power generation.'),
      technologies: ['landfill gas capture'],
      sectorCodes: ['WASTE', 'ENERGY'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative conditional programme: landfill gas',
      additionalityRationale:
        'Illustrative: no regulation requires methane capture; capture only pays with carbon finance.',
      criteria: [
        {
          parameter: 'wasteInPlaceKt',
          operator: ComparisonOperator.GTE,
          threshold: 100,
          unit: 'kt',
        },
      ],
      methodologies: ['CDM ACM0001'],
      baseline: {
        approach: BaselineApproach.NDC_TRAJECTORY,
        description: 'Illustrative: falls linearly to the NDC waste-sector intensity by 2030',
        referenceValue: 0.9,
        unit: 'tCO2e/t waste',
        referenceYear: 2025,
        targetValue: 0.5,
        targetYear: 2030,
        parameterValidation: ParameterValidation.EX_POST,
        updateIntervalYears: 2,
      },
      crediting: { periodYears: 5, renewals: 2 },
      authorization: CA_AUTHORIZATION,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'GHA-CLEAN-COOKSTOVES',
      kind: EntryKind.POSITIVE,
      name: 'Clean cookstoves (improved biomass and LPG)',
      description: demoText('Distribution of improved biomass and LPG cookstoves to households.'),
      technologies: ['improved biomass cookstove', 'LPG cookstove'],
      sectorCodes: ['ENERGY', 'AFOLU'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative conditional programme: clean cooking',
      additionalityRationale:
        'Illustrative: households cannot afford the stoves without results-based carbon finance.',
      criteria: [
        {
          parameter: 'stoveType',
          operator: ComparisonOperator.IN,
          values: ['improved biomass', 'LPG'],
        },
        {
          parameter: 'thermalEfficiencyPct',
          operator: ComparisonOperator.GTE,
          threshold: 30,
          unit: '%',
        },
      ],
      methodologies: ['CDM AMS-II.G', 'Gold Standard TPDDTEC'],
      baseline: {
        approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
        description: 'Illustrative: fuelwood BAU, 15% below, tightening 2% a year',
        referenceValue: 1.5,
        unit: 'tCO2e/stove/yr',
        referenceYear: 2025,
        initialAdjustmentPct: 15,
        annualTighteningPct: 2,
        parameterValidation: ParameterValidation.EX_POST,
        updateIntervalYears: 2,
        methodologyReference: 'CDM AMS-II.G',
      },
      crediting: { periodYears: 5, renewals: 1 },
      authorization: {
        authorizedUses: [AuthorizedUse.NDC, AuthorizedUse.OIMP, AuthorizedUse.A6_4ER],
        correspondingAdjustment: true,
        shareRetainedForNdcPct: 10,
        shareOfProceedsPct: 5,
        omgeCancellationPct: 2,
      },
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'GHA-E-MOBILITY',
      kind: EntryKind.POSITIVE,
      name: 'E-mobility (electric buses and two- and three-wheelers)',
      description: demoText('Electric public transport and commercial two- and three-wheelers.'),
      technologies: ['electric bus', 'electric motorcycle', 'electric tricycle'],
      sectorCodes: ['TRANSPORT'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative conditional programme: e-mobility',
      additionalityRationale:
        'Illustrative: electric fleets cost more up front than internal-combustion fleets.',
      criteria: [
        {
          parameter: 'vehicleType',
          operator: ComparisonOperator.IN,
          values: ['bus', 'motorcycle', 'tricycle'],
        },
        { parameter: 'fleetSize', operator: ComparisonOperator.GTE, threshold: 10 },
      ],
      methodologies: ['CDM AMS-III.C'],
      baseline: {
        approach: BaselineApproach.NET_ZERO_PATHWAY,
        description: "Illustrative: reaches zero in the host's net-zero year",
        referenceValue: 0.09,
        unit: 'kgCO2e/passenger-km',
        referenceYear: 2025,
        netZeroYear: 2060,
        parameterValidation: ParameterValidation.EX_POST,
        updateIntervalYears: 3,
      },
      crediting: { periodYears: 7, renewals: 1 },
      authorization: CA_AUTHORIZATION,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    negative(
      'GHA-EFFICIENT-LIGHTING',
      'Efficient lighting',
      ['LED lighting'],
      ['ENERGY'],
      'Part of the unconditional NDC, so not authorised for transfer (illustrative red list).',
      'Illustrative unconditional programme: efficient lighting',
    ),
    negative(
      'GHA-FUEL-OIL-TO-GAS',
      'Fuel-oil-to-natural-gas switching in thermal power plants',
      ['fuel switching'],
      ['ENERGY'],
      'Part of the unconditional NDC, so not authorised for transfer (illustrative red list).',
      'Illustrative unconditional programme: fuel switching in power generation',
    ),
  ];
}

const GHANA_GREEN_COOLING: EntryFieldsInput = {
  key: 'GHA-GREEN-COOLING',
  kind: EntryKind.POSITIVE,
  name: 'Green cooling (efficient, low-GWP air conditioning and refrigeration)',
  description: demoText('Efficient cooling equipment using natural or low-GWP refrigerants.'),
  technologies: ['low-GWP air conditioner', 'natural-refrigerant refrigeration'],
  sectorCodes: ['IPPU', 'ENERGY'],
  ndcComponent: NdcComponent.CONDITIONAL,
  ndcMeasureRef: 'Illustrative conditional programme: green cooling',
  additionalityRationale:
    'Illustrative: low-GWP equipment is not yet the market norm and costs more.',
  criteria: [
    {
      parameter: 'refrigerantGwp',
      operator: ComparisonOperator.LT,
      threshold: 150,
      description: '100-year global warming potential of the refrigerant',
    },
  ],
  methodologies: ['CDM AMS-III.X'],
  baseline: {
    approach: BaselineApproach.BEST_AVAILABLE_TECHNOLOGY,
    description: 'Illustrative: best available unit on the market, tightening 3% a year',
    referenceValue: 0.6,
    unit: 'tCO2e/unit/yr',
    referenceYear: 2026,
    annualTighteningPct: 3,
    parameterValidation: ParameterValidation.EX_ANTE,
  },
  crediting: { periodYears: 5, renewals: 1 },
  authorization: CA_AUTHORIZATION,
  legalBasis: DEMO_LEGAL_BASIS,
};

function thailandEntries(): EntryFieldsInput[] {
  const thaiAuthorization = {
    authorizedUses: [AuthorizedUse.NDC, AuthorizedUse.OIMP],
    correspondingAdjustment: true,
    shareRetainedForNdcPct: 10,
  };
  return [
    {
      key: 'THA-GREEN-HYDROGEN',
      kind: EntryKind.POSITIVE,
      name: 'Green hydrogen from renewable electrolysis',
      description: demoText('Electrolytic hydrogen from dedicated renewable power.'),
      technologies: ['electrolyser', 'green hydrogen'],
      sectorCodes: ['ENERGY', 'IPPU'],
      ndcComponent: NdcComponent.OUTSIDE_NDC,
      ndcMeasureRef: 'Illustrative guideline category: new energy technologies',
      additionalityRationale: 'Illustrative: beyond the NDC action plans; not yet commercial.',
      criteria: [
        {
          parameter: 'electrolyserMW',
          operator: ComparisonOperator.GTE,
          threshold: 5,
          unit: 'MW',
        },
        {
          parameter: 'renewableSharePct',
          operator: ComparisonOperator.GTE,
          threshold: 95,
          unit: '%',
        },
      ],
      methodologies: [],
      baseline: {
        approach: BaselineApproach.NET_ZERO_PATHWAY,
        description: 'Illustrative: grey hydrogen, reaching zero in the net-zero year',
        referenceValue: 10,
        unit: 'kgCO2e/kgH2',
        referenceYear: 2025,
        netZeroYear: 2065,
        parameterValidation: ParameterValidation.EX_ANTE,
      },
      crediting: { periodYears: 10, renewals: 0 },
      authorization: thaiAuthorization,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'THA-OFFSHORE-WIND',
      kind: EntryKind.POSITIVE,
      name: 'Offshore wind',
      description: demoText('Grid-connected offshore wind farms.'),
      technologies: ['offshore wind'],
      sectorCodes: ['ENERGY'],
      ndcComponent: NdcComponent.OUTSIDE_NDC,
      ndcMeasureRef: 'Illustrative guideline category: new energy technologies',
      additionalityRationale: 'Illustrative: no offshore wind in the NDC action plans.',
      criteria: [
        { parameter: 'capacityMW', operator: ComparisonOperator.GTE, threshold: 10, unit: 'MW' },
      ],
      methodologies: ['CDM ACM0002'],
      baseline: {
        approach: BaselineApproach.BENCHMARK,
        description: 'Illustrative: grid emission factor benchmark, tightening 2% a year',
        referenceValue: 0.5,
        unit: 'tCO2e/MWh',
        referenceYear: 2025,
        annualTighteningPct: 2,
        parameterValidation: ParameterValidation.EX_ANTE,
        methodologyReference: 'CDM ACM0002',
      },
      crediting: { periodYears: 7, renewals: 2 },
      authorization: thaiAuthorization,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'THA-CCS-DAC',
      kind: EntryKind.POSITIVE,
      name: 'Carbon capture and storage, utilisation, direct air capture',
      description: demoText('CCS/CCU at industrial sources and direct air capture with storage.'),
      technologies: ['CCS', 'CCU', 'DAC'],
      sectorCodes: ['ENERGY'],
      ndcComponent: NdcComponent.OUTSIDE_NDC,
      ndcMeasureRef: 'Illustrative guideline category: CCS/CCU/DAC',
      additionalityRationale: 'Illustrative: no revenue without carbon finance.',
      criteria: [
        {
          parameter: 'storagePermanenceYears',
          operator: ComparisonOperator.GTE,
          threshold: 100,
          unit: 'years',
        },
      ],
      methodologies: [],
      baseline: {
        approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
        description: 'Illustrative: CO2 vented without capture, 5% downward adjustment',
        referenceValue: 1,
        unit: 'tCO2/tCO2 captured',
        referenceYear: 2025,
        initialAdjustmentPct: 5,
        parameterValidation: ParameterValidation.EX_POST,
        updateIntervalYears: 1,
      },
      crediting: { periodYears: 10, renewals: 1 },
      authorization: thaiAuthorization,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'THA-RICE-METHANE',
      kind: EntryKind.POSITIVE,
      name: 'Rice methane reduction (alternate wetting and drying)',
      description: demoText('Adjusted water management in irrigated rice.'),
      technologies: ['alternate wetting and drying'],
      sectorCodes: ['AGRICULTURE'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative guideline category: rice methane',
      additionalityRationale: 'Illustrative: goes beyond the agriculture action plan coverage.',
      criteria: [
        { parameter: 'areaHa', operator: ComparisonOperator.GTE, threshold: 50, unit: 'ha' },
        {
          parameter: 'province',
          operator: ComparisonOperator.IN,
          values: ['Suphan Buri', 'Chai Nat', 'Ang Thong', 'Phitsanulok'],
        },
      ],
      methodologies: ['CDM AMS-III.AU'],
      baseline: {
        approach: BaselineApproach.NDC_TRAJECTORY,
        description: 'Illustrative: continuous flooding, falling to the NDC path by 2030',
        referenceValue: 2.5,
        unit: 'tCO2e/ha/season',
        referenceYear: 2025,
        targetValue: 2,
        targetYear: 2030,
        parameterValidation: ParameterValidation.EX_POST,
        updateIntervalYears: 3,
      },
      crediting: { periodYears: 5, renewals: 1 },
      authorization: thaiAuthorization,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'THA-SAF',
      kind: EntryKind.POSITIVE,
      name: 'Sustainable aviation fuel',
      description: demoText('Production of SAF from waste and residues.'),
      technologies: ['sustainable aviation fuel'],
      sectorCodes: ['TRANSPORT'],
      ndcComponent: NdcComponent.OUTSIDE_NDC,
      ndcMeasureRef: 'Illustrative guideline category: SAF',
      additionalityRationale: 'Illustrative: SAF costs several times fossil jet fuel.',
      criteria: [
        {
          parameter: 'lifecycleReductionPct',
          operator: ComparisonOperator.GTE,
          threshold: 50,
          unit: '%',
        },
      ],
      methodologies: [],
      baseline: {
        approach: BaselineApproach.BENCHMARK,
        description: 'Illustrative: fossil jet fuel life-cycle benchmark',
        referenceValue: 89,
        unit: 'gCO2e/MJ',
        referenceYear: 2025,
        parameterValidation: ParameterValidation.EX_ANTE,
      },
      crediting: { periodYears: 10, renewals: 0 },
      authorization: thaiAuthorization,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    negative(
      'THA-ONSHORE-SOLAR',
      'Utility-scale onshore solar PV',
      ['solar PV'],
      ['ENERGY'],
      'Already covered by the NDC action plans, so not eligible (illustrative).',
      'Illustrative NDC action plan: power sector renewables',
    ),
  ];
}

function kenyaEntries(): EntryFieldsInput[] {
  return [
    {
      key: 'KEN-GEOTHERMAL',
      kind: EntryKind.POSITIVE,
      name: 'Geothermal power',
      description: demoText('Grid-connected geothermal power plants.'),
      technologies: ['geothermal'],
      sectorCodes: ['ENERGY'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative conditional measure: geothermal expansion',
      additionalityRationale: 'Illustrative: conditional on international support.',
      criteria: [
        { parameter: 'capacityMW', operator: ComparisonOperator.LTE, threshold: 100, unit: 'MW' },
      ],
      methodologies: ['CDM ACM0002'],
      baseline: {
        approach: BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED,
        description: 'Illustrative: historical grid emission factor, adjusted downward',
        referenceValue: 0.45,
        unit: 'tCO2e/MWh',
        referenceYear: 2024,
        initialAdjustmentPct: 10,
        annualTighteningPct: 1.5,
        parameterValidation: ParameterValidation.EX_ANTE,
      },
      crediting: { periodYears: 7, renewals: 2 },
      authorization: CA_AUTHORIZATION,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    {
      key: 'KEN-CLEAN-COOKSTOVES',
      kind: EntryKind.POSITIVE,
      name: 'Clean cookstoves',
      description: demoText('Improved biomass and LPG cookstoves.'),
      technologies: ['improved biomass cookstove', 'LPG cookstove'],
      sectorCodes: ['ENERGY'],
      ndcComponent: NdcComponent.CONDITIONAL,
      ndcMeasureRef: 'Illustrative conditional measure: clean cooking',
      additionalityRationale: 'Illustrative: affordability barrier removed by carbon finance.',
      criteria: [
        {
          parameter: 'thermalEfficiencyPct',
          operator: ComparisonOperator.GTE,
          threshold: 30,
          unit: '%',
        },
      ],
      methodologies: ['CDM AMS-II.G', 'Gold Standard TPDDTEC'],
      baseline: {
        approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
        description: 'Illustrative: fuelwood BAU, 10% below, tightening 1% a year',
        referenceValue: 1.4,
        unit: 'tCO2e/stove/yr',
        referenceYear: 2025,
        initialAdjustmentPct: 10,
        annualTighteningPct: 1,
        parameterValidation: ParameterValidation.EX_POST,
        updateIntervalYears: 2,
      },
      crediting: { periodYears: 5, renewals: 1 },
      authorization: CA_AUTHORIZATION,
      legalBasis: DEMO_LEGAL_BASIS,
    },
    negative(
      'KEN-LARGE-HYDRO',
      'Large hydropower',
      ['hydropower'],
      ['ENERGY'],
      'Part of the unconditional NDC, so not authorised for transfer (illustrative).',
      'Illustrative unconditional measure: large hydropower',
    ),
  ];
}

interface DemoActors {
  official: RequestContext;
  approver: RequestContext;
}

/**
 * Loads illustrative (not official) host countries, NDC sectors, demo principals (an official
 * and an approver per country, and one auditor) and lists through the domain services. A demo
 * country that is already registered (by an earlier run, or by hand) is left alone, and the
 * result says so; the others are loaded next to it.
 */
export async function seedDemo(
  app: INestApplicationContext,
  log: (line: string) => void,
): Promise<SeedDemoResult> {
  const countries = app.get(CountriesService);
  const principals = app.get(PrincipalsService);
  const drafting = app.get(DraftingService);
  const workflow = app.get(ListWorkflowService);
  const listReads = app.get(ListsRepository);

  const system: RequestContext = { principal: null, requestId: REQUEST_ID };
  const keys: DemoKey[] = [];
  const actors = new Map<string, DemoActors>();
  const skipped: SeedDemoResult['skipped'] = [];

  for (const country of COUNTRIES) {
    if (await countries.findCountry(country.code)) {
      const why = `host country ${country.code} is already registered; its data is left as it is`;
      skipped.push({ code: country.code, why });
      log(`skipped ${country.code}: ${why}`);
      continue;
    }
    await countries.registerHostCountry(system, {
      code: country.code,
      name: country.name,
      ndc: country.ndc,
      reason: reason(`register ${country.code} as a demo host country`),
    });
    for (const sector of country.sectors) {
      await countries.upsertNdcSector(system, {
        hostCountry: country.code,
        ...sector,
        description: `Illustrative demo NDC sector (not official): ${sector.name}`,
        reason: reason(`NDC sector ${sector.code} of ${country.code}`),
      });
    }
    log(`registered ${country.code} with ${country.sectors.length} NDC sectors`);

    const context = async (role: Role, label: string): Promise<RequestContext> => {
      const name = `Demo ${label} (${country.code})`;
      const { principal, apiKey } = await principals.create(system, {
        name,
        role,
        hostCountry: country.code,
        reason: reason(`demo ${label} of ${country.code}, for trying the workflow`),
      });
      keys.push({ name, role, country: country.code, apiKey });
      const authenticated: AuthenticatedPrincipal = toPrincipal(principal);
      return { principal: authenticated, requestId: REQUEST_ID };
    };
    actors.set(country.code, {
      official: await context(Role.OFFICIAL, 'official'),
      approver: await context(Role.APPROVER, 'approver'),
    });
  }

  const today = app.get(Clock).today();
  const inThirtyDays = addDaysUtc(today, 30);
  const actorsOf = (code: string) => actors.get(code)!;

  /** Drafts a list, adds entries, submits as the official and publishes as the approver. */
  const publishList = async (
    code: string,
    title: string,
    entries: EntryFieldsInput[],
    effectiveFrom: string,
  ) => {
    const { official, approver } = actorsOf(code);
    const draft = await drafting.createDraft(official, {
      hostCountry: code,
      title,
      legalBasis: DEMO_LEGAL_BASIS,
      reason: reason(`draft ${title}`),
    });
    for (const entry of entries) {
      await drafting.addEntry(official, {
        listVersionId: draft.id,
        entry,
        reason: reason(`add ${entry.key}`),
      });
    }
    await workflow.submit(official, {
      listVersionId: draft.id,
      reason: reason(`submit version ${draft.version} for approval`),
    });
    const published = await workflow.publish(approver, {
      listVersionId: draft.id,
      effectiveFrom,
      reviewDue: addDaysUtc(effectiveFrom, 730),
      reason: reason(`publish version ${draft.version}`),
    });
    log(
      `published ${code} list version ${published.version} (${entries.length} entries) effective ${effectiveFrom}`,
    );
    return published;
  };

  const loaded = [...actors.keys()];
  if (loaded.length === 0) return { loaded, skipped, keys };
  const { principal: auditor, apiKey: auditorKey } = await principals.create(system, {
    name: `Demo auditor (${loaded.join(', ')})`,
    role: Role.AUDITOR,
    hostCountry: null,
    reason: reason('demo auditor, for reading and verifying the audit trail'),
  });
  keys.push({ name: auditor.name, role: Role.AUDITOR, country: '-', apiKey: auditorKey });

  if (actors.has('GHA')) await publishGhana();
  if (actors.has('THA'))
    await publishList(
      'THA',
      'Illustrative demo eligible categories (not official)',
      thailandEntries(),
      today,
    );
  if (actors.has('KEN'))
    await publishList(
      'KEN',
      'Illustrative demo positive list (not official)',
      kenyaEntries(),
      today,
    );
  return { loaded, skipped, keys };

  /** GHA: version 1 in force today, version 2 (copied, then changed) in 30 days. */
  async function publishGhana(): Promise<void> {
    await publishList(
      'GHA',
      'Illustrative demo whitelist and red list (not official)',
      ghanaV1Entries(),
      today,
    );

    // Version 2 of GHA: copied from version 1 (the version in force), then changed.
    const gha = actorsOf('GHA');
    const v2Title = 'Illustrative demo whitelist and red list, revision 2 (not official)';
    const v2 = await drafting.createDraft(gha.official, {
      hostCountry: 'GHA',
      title: v2Title,
      reason: reason('draft revision 2 from the version in force'),
    });
    const v2Entries = await listReads.entriesOfVersions([v2.id]);
    const entryId = (key: string) => {
      const entry = v2Entries.find((e) => e.key === key);
      if (!entry) throw new Error(`seed-demo: ${key} was not copied into version ${v2.version}`);
      return entry;
    };
    const solar = entryId('GHA-SOLAR-UTILITY');
    await drafting.updateEntry(gha.official, {
      entryId: solar.id,
      expectedRevision: solar.revision,
      entry: ghanaSolarUtility(30),
      reason: reason('lower the utility-scale solar capacity limit from 50 MW to 30 MW'),
    });
    await drafting.removeEntry(gha.official, {
      entryId: entryId('GHA-E-MOBILITY').id,
      reason: reason('e-mobility moves to a separate transport programme'),
    });
    await drafting.addEntry(gha.official, {
      listVersionId: v2.id,
      entry: GHANA_GREEN_COOLING,
      reason: reason('add green cooling'),
    });
    await workflow.submit(gha.official, {
      listVersionId: v2.id,
      reason: reason(`submit version ${v2.version} for approval`),
    });
    await workflow.publish(gha.approver, {
      listVersionId: v2.id,
      effectiveFrom: inThirtyDays,
      reviewDue: addDaysUtc(inThirtyDays, 730),
      reason: reason(`publish version ${v2.version}, taking effect in 30 days`),
    });
    log(`published GHA list version ${v2.version} effective ${inThirtyDays}`);
  }
}

/** `npm run cli -- seed-demo`: boots the domain like create-principal and loads the demo data. */
export function seedDemoCommand(config: AppConfig): Promise<number> {
  return withDomain(config, async (app) => {
    const result = await seedDemo(app, (line) => console.log(line));
    if (result.loaded.length === 0) {
      // Asked to load demo data and loaded none: say so, and let scripts notice.
      console.error(
        `seed-demo loaded nothing: every demo country (${result.skipped.map((c) => c.code).join(', ')}) is already registered`,
      );
      return 1;
    }
    console.log('');
    console.log('DEMO API keys (illustrative demo principals, not for production; shown once):');
    for (const key of result.keys) {
      console.log(`  ${key.name.padEnd(24)} ${key.role.padEnd(8)} ${key.country}  ${key.apiKey}`);
    }
    return 0;
  });
}
