import {
  CHECKPOINTS_QUERY,
  EXPORT_COMMAND,
  MONITOR_COMMAND,
  MONITOR_CRON,
  MONITOR_FILE_COMMAND,
  VERIFY_COMMAND,
  setupCommand,
} from '../transparency-commands';
import { Layout } from './layout';
import { PageContext } from './page-context';

/** The latest signed checkpoint, as the page shows it. */
export interface PublishedCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: string;
  signedAt: string;
  keyId: string;
  /** The C2SP signed note, exactly as /transparency/checkpoint serves it. */
  note: string;
}

/** A command to copy: a <pre><code> block, never translated. */
const Command = ({ text }: { text: string }) => (
  <pre class="cmd">
    <code>{text}</code>
  </pre>
);

export function TransparencyPage({
  ctx,
  checkpoint,
  publicKey,
}: {
  ctx: PageContext;
  checkpoint: PublishedCheckpoint | null;
  publicKey: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('transparency:title')} section="transparency">
      <p>{t('transparency:intro')}</p>

      <h2>{t('transparency:checkpoint')}</h2>
      {checkpoint ? (
        <>
          <dl class="facts">
            <dt>{t('transparency:origin')}</dt>
            <dd class="digest">{checkpoint.origin}</dd>
            <dt>{t('transparency:treeSize')}</dt>
            <dd>{checkpoint.treeSize}</dd>
            <dt>{t('transparency:rootHash')}</dt>
            <dd class="digest">{checkpoint.rootHash}</dd>
            <dt>{t('transparency:signedAt')}</dt>
            <dd>
              <time dateTime={checkpoint.signedAt}>{checkpoint.signedAt}</time>
            </dd>
            <dt>{t('transparency:keyId')}</dt>
            <dd class="digest">{checkpoint.keyId}</dd>
          </dl>
          <p>{t('transparency:note')}</p>
          <Command text={checkpoint.note} />
          <p>
            <a href="/transparency/checkpoint" download="checkpoint.txt">
              {t('transparency:downloadNote')}
            </a>
          </p>
        </>
      ) : (
        <p class="notice">{t('transparency:noCheckpoint')}</p>
      )}

      <h2>{t('transparency:publicKey')}</h2>
      {publicKey ? (
        <>
          <p>{t('transparency:publicKeyText')}</p>
          <Command text={publicKey} />
          <p>
            <a href="/transparency/public-key" download="registry-public-key.txt">
              {t('transparency:downloadKey')}
            </a>
          </p>
        </>
      ) : (
        <p class="notice">{t('transparency:noPublicKey')}</p>
      )}

      <h2>{t('transparency:before')}</h2>
      <p>{t('transparency:beforeText')}</p>
      <Command text={setupCommand(publicKey)} />

      <h2>{t('transparency:verify')}</h2>
      <p>{t('transparency:verifyText')}</p>
      <ol class="steps">
        <li>
          <p>{t('transparency:step1')}</p>
          <Command text={EXPORT_COMMAND} />
        </li>
        <li>
          <p>{t('transparency:step2')}</p>
          <Command text={VERIFY_COMMAND} />
        </li>
      </ol>
      <p>{t('transparency:verifyExit')}</p>

      <h2>{t('transparency:watch')}</h2>
      <p>{t('transparency:watchText')}</p>
      <Command text={MONITOR_COMMAND} />
      <p>{t('transparency:watchExit')}</p>
      <p>{t('transparency:cron')}</p>
      <Command text={MONITOR_CRON} />
      <p>{t('transparency:watchFile')}</p>
      <Command text={MONITOR_FILE_COMMAND} />

      <h2>{t('transparency:api')}</h2>
      <p>{t('transparency:apiText')}</p>
      <Command text={CHECKPOINTS_QUERY} />
      <p>
        <a href="/graphql">{t('transparency:explorer')}</a>
      </p>
    </Layout>
  );
}
