import type { Locale } from '../../domain/locale.js';
import { Layout } from './layout.js';

export type NoticeProps = {
  brand: string;
  lang: Locale;
  title: string;
  /** What happened and what to do next. */
  paragraphs: string[];
  /** Whether it reports a failure (read out as an alert). */
  alert?: boolean;
  link?: { href: string; text: string };
};

/** A page that tells the person where they stand (a mail sent, a password changed, a link that no longer works). */
export function NoticePage(props: NoticeProps) {
  return (
    <Layout brand={props.brand} title={props.title} lang={props.lang}>
      <h1>{props.title}</h1>
      {props.paragraphs.map((text, i) =>
        props.alert && i === 0 ? (
          <p class="alert" role="alert">
            {text}
          </p>
        ) : (
          <p class="notice">{text}</p>
        ),
      )}
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.text}</a>
        </p>
      ) : null}
    </Layout>
  );
}
