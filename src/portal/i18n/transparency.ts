import { messages } from './messages';

/** The transparency page (checkpoint, key, how to verify and watch) and the API explorer. */
export const transparency = messages({
  en: {
    title: 'Transparency: verify the change history',
    intro:
      'Every change to every list is recorded in an append-only audit log. Each event is chained to the one before by its hash, and the registry regularly signs a checkpoint: the size of the log and the Merkle root of all its events. Anyone holding a checkpoint and the public key can check, without trusting the registry, that the history was never rewritten.',
    checkpoint: 'Latest signed checkpoint',
    noCheckpoint:
      'No checkpoint has been signed yet. The registry signs one when its log has new events; come back later.',
    origin: 'Log origin',
    treeSize: 'Tree size (events)',
    rootHash: 'Merkle root (hex)',
    signedAt: 'Signed at',
    keyId: 'Key id',
    note: 'The checkpoint as a signed note (C2SP format), which tlog tools and the monitor read:',
    downloadNote: 'Download the signed checkpoint (checkpoint.txt)',
    publicKey: 'Public key',
    publicKeyText:
      'Checkpoints are signed with this Ed25519 key (raw 32 bytes, base64), the form the verification tools take with --public-key. Pin it once, from a source you trust, such as the registry’s official publication, rather than from any single checkpoint.',
    noPublicKey:
      'This registry is not configured to sign checkpoints, so it has no public key to show.',
    downloadKey: 'Download the public key (registry-public-key.txt)',
    before: 'Before you start',
    beforeText:
      'The commands run in a shell with the registry’s command-line tool (npm run cli). Set the registry’s address and the key you pinned:',
    verify: 'Verify the whole log offline',
    verifyText:
      'An auditor can check the complete history on their own machine, with no database and no access to the service beyond two downloads.',
    step1:
      'Download the history (needs an AUDITOR or ADMIN key in AUDITOR_KEY) and the latest checkpoint (public):',
    step2:
      'Verify every event, every hash and link, and the checkpoint against the key you pinned:',
    verifyExit:
      'Exit status 0 means the log is intact; 1 means it is not, and every problem is printed with its line; 2 means nothing could be checked.',
    watch: 'Watch the log',
    watchText:
      'The monitor keeps the last checkpoint it verified in a small state file. Each run fetches the latest signed checkpoint, checks its signature against the pinned key and, if the log grew, a consistency proof that the new log extends the old one. It needs no key and no database.',
    watchExit:
      'Exit status 0 means consistent (or first run); 1 means a fork, a rollback or a bad signature; 2 means the check could not be made.',
    cron: 'Run it from cron every ten minutes, mailing any failure:',
    watchFile:
      'A checkpoint that reached you by another channel, such as the download above, can be checked the same way:',
    api: 'In the API',
    apiText:
      'The signed checkpoints, inclusion proofs and consistency proofs are public GraphQL queries. Every checkpoint so far, newest first:',
    explorer: 'Try them in the API explorer',
    graphiql: {
      title: 'API explorer · Positive-list registry',
      noscript:
        'The API explorer needs JavaScript. Without it, send GraphQL queries to this address with POST and a JSON body, as the README shows.',
    },
  },
  fr: {
    title: 'Transparence : vérifier l’historique des modifications',
    intro:
      'Chaque modification de chaque liste est consignée dans un journal d’audit qui ne fait que s’allonger. Chaque événement est chaîné au précédent par son empreinte, et le registre signe régulièrement un point de contrôle : la taille du journal et la racine de Merkle de tous ses événements. Quiconque détient un point de contrôle et la clé publique peut vérifier, sans faire confiance au registre, que l’historique n’a jamais été réécrit.',
    checkpoint: 'Dernier point de contrôle signé',
    noCheckpoint:
      'Aucun point de contrôle n’a encore été signé. Le registre en signe un lorsque son journal contient de nouveaux événements ; revenez plus tard.',
    origin: 'Origine du journal',
    treeSize: 'Taille de l’arbre (événements)',
    rootHash: 'Racine de Merkle (hex)',
    signedAt: 'Signé le',
    keyId: 'Identifiant de clé',
    note: 'Le point de contrôle sous forme de note signée (format C2SP), que lisent les outils tlog et le moniteur :',
    downloadNote: 'Télécharger le point de contrôle signé (checkpoint.txt)',
    publicKey: 'Clé publique',
    publicKeyText:
      'Les points de contrôle sont signés avec cette clé Ed25519 (32 octets bruts, en base64), la forme que les outils de vérification acceptent avec --public-key. Épinglez-la une fois, à partir d’une source de confiance comme la publication officielle du registre, plutôt qu’à partir d’un point de contrôle isolé.',
    noPublicKey:
      'Ce registre n’est pas configuré pour signer des points de contrôle : il n’a donc pas de clé publique à afficher.',
    downloadKey: 'Télécharger la clé publique (registry-public-key.txt)',
    before: 'Avant de commencer',
    beforeText:
      'Les commandes s’exécutent dans un terminal, avec l’outil en ligne de commande du registre (npm run cli). Indiquez l’adresse du registre et la clé que vous avez épinglée :',
    verify: 'Vérifier tout le journal hors ligne',
    verifyText:
      'Un auditeur peut contrôler l’historique complet sur sa propre machine, sans base de données et sans autre accès au service que deux téléchargements.',
    step1:
      'Téléchargez l’historique (il faut une clé AUDITOR ou ADMIN dans AUDITOR_KEY) et le dernier point de contrôle (public) :',
    step2:
      'Vérifiez chaque événement, chaque empreinte et chaque lien, ainsi que le point de contrôle, avec la clé épinglée :',
    verifyExit:
      'Le code de sortie 0 signifie que le journal est intact ; 1 qu’il ne l’est pas, chaque problème étant affiché avec sa ligne ; 2 que rien n’a pu être vérifié.',
    watch: 'Surveiller le journal',
    watchText:
      'Le moniteur conserve dans un petit fichier d’état le dernier point de contrôle qu’il a vérifié. À chaque exécution, il récupère le dernier point de contrôle signé, vérifie sa signature avec la clé épinglée et, si le journal a grandi, une preuve de cohérence montrant que le nouveau journal prolonge l’ancien. Il ne demande ni clé d’accès ni base de données.',
    watchExit:
      'Le code de sortie 0 signifie cohérent (ou première exécution) ; 1 une bifurcation, un retour en arrière ou une signature invalide ; 2 que la vérification n’a pas pu être faite.',
    cron: 'Lancez-le par cron toutes les dix minutes, en envoyant tout échec par courriel :',
    watchFile:
      'Un point de contrôle reçu par un autre canal, comme le téléchargement ci-dessus, se vérifie de la même façon :',
    api: 'Dans l’API',
    apiText:
      'Les points de contrôle signés, les preuves d’inclusion et les preuves de cohérence sont des requêtes GraphQL publiques. Tous les points de contrôle à ce jour, du plus récent au plus ancien :',
    explorer: 'Les essayer dans l’explorateur de l’API',
    graphiql: {
      title: 'Explorateur de l’API · Registre des listes positives',
      noscript:
        'L’explorateur de l’API nécessite JavaScript. Sans lui, envoyez vos requêtes GraphQL à cette adresse en POST avec un corps JSON, comme l’indique le README.',
    },
  },
  es: {
    title: 'Transparencia: verificar el historial de cambios',
    intro:
      'Cada cambio de cada lista queda registrado en un registro de auditoría al que solo se pueden añadir eventos. Cada evento está encadenado al anterior por su huella, y el registro firma periódicamente un punto de control: el tamaño del registro y la raíz de Merkle de todos sus eventos. Cualquiera que tenga un punto de control y la clave pública puede comprobar, sin confiar en el registro, que el historial nunca se reescribió.',
    checkpoint: 'Último punto de control firmado',
    noCheckpoint:
      'Todavía no se ha firmado ningún punto de control. El registro firma uno cuando su registro de auditoría tiene eventos nuevos; vuelva más tarde.',
    origin: 'Origen del registro',
    treeSize: 'Tamaño del árbol (eventos)',
    rootHash: 'Raíz de Merkle (hex)',
    signedAt: 'Firmado el',
    keyId: 'Identificador de clave',
    note: 'El punto de control como nota firmada (formato C2SP), que leen las herramientas tlog y el monitor:',
    downloadNote: 'Descargar el punto de control firmado (checkpoint.txt)',
    publicKey: 'Clave pública',
    publicKeyText:
      'Los puntos de control se firman con esta clave Ed25519 (32 bytes en bruto, en base64), la forma que aceptan las herramientas de verificación con --public-key. Fíjela una vez, a partir de una fuente de confianza como la publicación oficial del registro, y no a partir de un único punto de control.',
    noPublicKey:
      'Este registro no está configurado para firmar puntos de control, así que no tiene clave pública que mostrar.',
    downloadKey: 'Descargar la clave pública (registry-public-key.txt)',
    before: 'Antes de empezar',
    beforeText:
      'Los comandos se ejecutan en una terminal, con la herramienta de línea de comandos del registro (npm run cli). Indique la dirección del registro y la clave que fijó:',
    verify: 'Verificar todo el registro sin conexión',
    verifyText:
      'Un auditor puede comprobar el historial completo en su propio equipo, sin base de datos y sin más acceso al servicio que dos descargas.',
    step1:
      'Descargue el historial (necesita una clave AUDITOR o ADMIN en AUDITOR_KEY) y el último punto de control (público):',
    step2:
      'Verifique cada evento, cada huella y cada enlace, y el punto de control con la clave fijada:',
    verifyExit:
      'El código de salida 0 significa que el registro está intacto; 1 que no lo está, y se muestra cada problema con su línea; 2 que no se pudo comprobar nada.',
    watch: 'Vigilar el registro',
    watchText:
      'El monitor guarda en un pequeño archivo de estado el último punto de control que verificó. En cada ejecución obtiene el último punto de control firmado, comprueba su firma con la clave fijada y, si el registro creció, una prueba de consistencia de que el registro nuevo prolonga el anterior. No necesita clave de acceso ni base de datos.',
    watchExit:
      'El código de salida 0 significa consistente (o primera ejecución); 1 una bifurcación, una vuelta atrás o una firma no válida; 2 que no se pudo hacer la comprobación.',
    cron: 'Ejecútelo desde cron cada diez minutos y reciba por correo cualquier fallo:',
    watchFile:
      'Un punto de control que le llegó por otra vía, como la descarga de arriba, se comprueba del mismo modo:',
    api: 'En la API',
    apiText:
      'Los puntos de control firmados, las pruebas de inclusión y las pruebas de consistencia son consultas GraphQL públicas. Todos los puntos de control hasta ahora, del más reciente al más antiguo:',
    explorer: 'Probarlas en el explorador de la API',
    graphiql: {
      title: 'Explorador de la API · Registro de listas positivas',
      noscript:
        'El explorador de la API necesita JavaScript. Sin él, envíe consultas GraphQL a esta dirección por POST con un cuerpo JSON, como muestra el README.',
    },
  },
});
