import { messages } from './messages';

/** The workspace's sign-in with the identity provider (OpenID Connect). */
export const consoleOidc = messages({
  en: {
    intro:
      'The workspace is where host-country officials and approvers curate their lists. Sign in with your account at {{provider}}, or with the API key the registry’s administrator gave you.',
    withProvider: 'With your account at {{provider}}',
    button: 'Sign in with {{provider}}',
    hint: 'You are sent to {{provider}} to sign in, then brought back here.',
    withKey: 'With an API key',
    refused: '{{provider}} did not sign you in. Try again, or sign in with an API key.',
    refusedCode:
      '{{provider}} did not sign you in (it answered “{{error}}”). Try again, or sign in with an API key.',
    failed:
      'Signing in with {{provider}} could not be completed, and you are not signed in. Start again.',
    unavailable:
      '{{provider}} cannot be reached right now. Try again in a few minutes, or sign in with an API key.',
    flowMissing:
      'This sign-in was started too long ago or in another browser, so it was not accepted. Start again from this page.',
    signedIn: {
      title: 'Signed in',
      text: 'You are signed in as {{name}}.',
      continue: 'Continue to the workspace',
    },
    notRegistered: {
      title: 'Your account is not registered',
      body: '{{provider}} recognised you, but that account is not registered in this registry (or its access was withdrawn). You are not signed in to the workspace.',
      subject: 'Your account’s identifier at {{provider}}',
      ask: 'Ask the registry’s administrator to register this identifier for you, then sign in again.',
      back: 'Back to sign-in',
    },
  },
  fr: {
    intro:
      'L’espace de travail permet aux agents et approbateurs des pays hôtes de tenir leurs listes. Connectez-vous avec votre compte {{provider}}, ou avec la clé d’API que l’administrateur du registre vous a remise.',
    withProvider: 'Avec votre compte {{provider}}',
    button: 'Se connecter avec {{provider}}',
    hint: 'Vous êtes envoyé vers {{provider}} pour vous connecter, puis ramené ici.',
    withKey: 'Avec une clé d’API',
    refused:
      '{{provider}} ne vous a pas connecté. Réessayez, ou connectez-vous avec une clé d’API.',
    refusedCode:
      '{{provider}} ne vous a pas connecté (réponse « {{error}} »). Réessayez, ou connectez-vous avec une clé d’API.',
    failed:
      'La connexion avec {{provider}} n’a pas pu aboutir, et vous n’êtes pas connecté. Recommencez.',
    unavailable:
      '{{provider}} est injoignable pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec une clé d’API.',
    flowMissing:
      'Cette connexion a été commencée il y a trop longtemps ou dans un autre navigateur : elle n’a pas été acceptée. Recommencez depuis cette page.',
    signedIn: {
      title: 'Connecté',
      text: 'Vous êtes connecté en tant que {{name}}.',
      continue: 'Continuer vers l’espace de travail',
    },
    notRegistered: {
      title: 'Votre compte n’est pas enregistré',
      body: '{{provider}} vous a reconnu, mais ce compte n’est pas enregistré dans ce registre (ou son accès a été retiré). Vous n’êtes pas connecté à l’espace de travail.',
      subject: 'L’identifiant de votre compte chez {{provider}}',
      ask: 'Demandez à l’administrateur du registre d’enregistrer cet identifiant pour vous, puis reconnectez-vous.',
      back: 'Retour à la connexion',
    },
  },
  es: {
    intro:
      'El espacio de trabajo es donde los funcionarios y aprobadores de los países anfitriones mantienen sus listas. Inicie sesión con su cuenta de {{provider}}, o con la clave de API que le entregó el administrador del registro.',
    withProvider: 'Con su cuenta de {{provider}}',
    button: 'Iniciar sesión con {{provider}}',
    hint: 'Se le envía a {{provider}} para iniciar sesión y luego se le trae de vuelta aquí.',
    withKey: 'Con una clave de API',
    refused:
      '{{provider}} no inició su sesión. Inténtelo de nuevo, o inicie sesión con una clave de API.',
    refusedCode:
      '{{provider}} no inició su sesión (respondió «{{error}}»). Inténtelo de nuevo, o inicie sesión con una clave de API.',
    failed:
      'El inicio de sesión con {{provider}} no pudo completarse y no ha iniciado sesión. Empiece de nuevo.',
    unavailable:
      'No se puede contactar con {{provider}} en este momento. Inténtelo de nuevo en unos minutos, o inicie sesión con una clave de API.',
    flowMissing:
      'Este inicio de sesión se empezó hace demasiado tiempo o en otro navegador, así que no se aceptó. Empiece de nuevo desde esta página.',
    signedIn: {
      title: 'Sesión iniciada',
      text: 'Ha iniciado sesión como {{name}}.',
      continue: 'Continuar al espacio de trabajo',
    },
    notRegistered: {
      title: 'Su cuenta no está registrada',
      body: '{{provider}} le reconoció, pero esa cuenta no está registrada en este registro (o se le retiró el acceso). No ha iniciado sesión en el espacio de trabajo.',
      subject: 'El identificador de su cuenta en {{provider}}',
      ask: 'Pida al administrador del registro que registre este identificador para usted y luego vuelva a iniciar sesión.',
      back: 'Volver al inicio de sesión',
    },
  },
});
