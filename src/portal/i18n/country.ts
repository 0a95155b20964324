import { messages } from './messages';

export const country = messages({
  en: {
    title: '{{name}}: lists in force',
    onDate: 'On',
    noListInForce:
      '{{name}} has no list in force on {{date}}. No activity can be confirmed as eligible under this registry on that date.',
    versionLine: 'Version {{version}}: {{title}}',
    versions: 'All versions of this list',
    entries_one: '{{count}} entry',
    entries_other: '{{count}} entries',
    noEntries: 'This list has no entries of this kind.',
    noSector: 'Without an NDC sector',
    legalBasis: 'Legal basis',
  },
  fr: {
    title: '{{name}} : listes en vigueur',
    onDate: 'Au',
    noListInForce:
      '{{name}} n’a aucune liste en vigueur le {{date}}. Aucune activité ne peut être confirmée éligible par ce registre à cette date.',
    versionLine: 'Version {{version}} : {{title}}',
    versions: 'Toutes les versions de cette liste',
    entries_one: '{{count}} entrée',
    entries_other: '{{count}} entrées',
    noEntries: 'Cette liste n’a aucune entrée de ce type.',
    noSector: 'Sans secteur de la CDN',
    legalBasis: 'Base juridique',
  },
  es: {
    title: '{{name}}: listas en vigor',
    onDate: 'Fecha',
    noListInForce:
      '{{name}} no tiene ninguna lista en vigor el {{date}}. Ninguna actividad puede confirmarse como elegible en este registro en esa fecha.',
    versionLine: 'Versión {{version}}: {{title}}',
    versions: 'Todas las versiones de esta lista',
    entries_one: '{{count}} entrada',
    entries_other: '{{count}} entradas',
    noEntries: 'Esta lista no tiene entradas de este tipo.',
    noSector: 'Sin sector de la NDC',
    legalBasis: 'Base jurídica',
  },
});
