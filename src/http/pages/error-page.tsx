import type { Locale } from '../../domain/locale.js';
import { errorText } from './i18n/error.js';
import { Layout } from './layout.js';

export type ErrorPageProps = {
  brand: string;
  locale: Locale;
  title: string;
  /** What happened and what to do, in a person's words. */
  message: string;
  /** What went wrong in the request, for the application's developer. */
  detail?: string;
  /** The request's X-Request-Id, for the person to report. */
  reference?: string;
};

/**
 * A page that ends a request: what happened, what to do next, and a reference to report. It links
 * nowhere: the application that sent the browser here is unknown or not to be trusted.
 */
export function ErrorPage(props: ErrorPageProps) {
  const t = errorText[props.locale];
  return (
    <Layout brand={props.brand} title={props.title} lang={props.locale}>
      <h1>{props.title}</h1>
      <p class="alert" role="alert">
        {props.message}
      </p>
      {props.detail ? (
        <p class="detail">
          {t.developer}
          <span class="detail-text">{props.detail}</span>
        </p>
      ) : null}
      {props.reference ? (
        <p class="reference">
          {t.reference}
          <code>{props.reference}</code>
        </p>
      ) : null}
    </Layout>
  );
}
