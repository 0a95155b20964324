import { messages } from './messages';

export const home = messages({
  en: {
    title: 'Article 6 positive lists',
    intro:
      'Host countries publish here which kinds of carbon-market activity they consider eligible under Article 6 of the Paris Agreement (positive lists) and which they exclude (negative lists), with the criteria and baselines that apply. Every version is dated, every change is recorded in a signed log that anyone can verify.',
    countries: 'Countries and their lists in force today',
    country: 'Country',
    listInForce: 'List in force',
    since: 'Since',
    noList: 'No list in force',
    noCountries: 'No host country is registered yet.',
    searchLabel: 'Search the lists in force',
    searchButton: 'Search',
    developers: 'For project developers',
    developersText:
      'Ask whether an activity is eligible, with your project’s parameters, and get the reasons and the baseline that applies.',
    askEligibility: 'Check eligibility',
    apiText: 'The same answers over GraphQL:',
    files: 'Every list in force today as a file:',
    template: 'CSV template for importing a list',
    explorer: 'API explorer',
    auditors: 'For auditors and observers',
    auditorsText:
      'The change history is append-only, hash-chained and checkpointed with signatures.',
    transparency: 'How to verify the log',
  },
  fr: {
    title: 'Listes positives de l’article 6',
    intro:
      'Les pays hôtes publient ici les types d’activités du marché du carbone qu’ils jugent éligibles au titre de l’article 6 de l’Accord de Paris (listes positives) et ceux qu’ils excluent (listes négatives), avec les critères et niveaux de référence applicables. Chaque version est datée, chaque modification est consignée dans un journal signé que chacun peut vérifier.',
    countries: 'Pays et listes en vigueur aujourd’hui',
    country: 'Pays',
    listInForce: 'Liste en vigueur',
    since: 'Depuis',
    noList: 'Aucune liste en vigueur',
    noCountries: 'Aucun pays hôte n’est encore enregistré.',
    searchLabel: 'Rechercher dans les listes en vigueur',
    searchButton: 'Rechercher',
    developers: 'Pour les porteurs de projets',
    developersText:
      'Demandez si une activité est éligible, avec les paramètres de votre projet, et obtenez les motifs et le niveau de référence applicable.',
    askEligibility: 'Vérifier l’éligibilité',
    apiText: 'Les mêmes réponses en GraphQL :',
    files: 'Toutes les listes en vigueur aujourd’hui sous forme de fichier :',
    template: 'Modèle CSV pour importer une liste',
    explorer: 'Explorateur de l’API',
    auditors: 'Pour les auditeurs et observateurs',
    auditorsText:
      'L’historique des modifications ne fait que s’allonger ; il est chaîné par empreintes et jalonné de points de contrôle signés.',
    transparency: 'Comment vérifier le journal',
  },
  es: {
    title: 'Listas positivas del artículo 6',
    intro:
      'Los países anfitriones publican aquí qué tipos de actividad del mercado de carbono consideran elegibles en virtud del artículo 6 del Acuerdo de París (listas positivas) y cuáles excluyen (listas negativas), con los criterios y líneas de base aplicables. Cada versión está fechada y cada cambio queda registrado en un registro firmado que cualquiera puede verificar.',
    countries: 'Países y sus listas en vigor hoy',
    country: 'País',
    listInForce: 'Lista en vigor',
    since: 'Desde',
    noList: 'Ninguna lista en vigor',
    noCountries: 'Todavía no hay ningún país anfitrión registrado.',
    searchLabel: 'Buscar en las listas en vigor',
    searchButton: 'Buscar',
    developers: 'Para desarrolladores de proyectos',
    developersText:
      'Pregunte si una actividad es elegible, con los parámetros de su proyecto, y obtenga los motivos y la línea de base aplicable.',
    askEligibility: 'Comprobar la elegibilidad',
    apiText: 'Las mismas respuestas por GraphQL:',
    files: 'Todas las listas en vigor hoy como archivo:',
    template: 'Plantilla CSV para importar una lista',
    explorer: 'Explorador de la API',
    auditors: 'Para auditores y observadores',
    auditorsText:
      'El historial de cambios solo crece; está encadenado por huellas y con puntos de control firmados.',
    transparency: 'Cómo verificar el registro',
  },
});
