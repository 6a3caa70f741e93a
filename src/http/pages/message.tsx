import { Layout } from './layout.js';

/** A page with a heading and a sentence or two: errors, and the signed-out page. */
export function MessagePage(props: { brand: string; title: string; lines: string[]; alert?: boolean }) {
  return (
    <Layout brand={props.brand} title={props.title}>
      <h1>{props.title}</h1>
      {props.lines.map((line, i) => (
        <p class={i === 0 && props.alert ? 'alert' : 'lead'} role={i === 0 && props.alert ? 'alert' : undefined}>
          {line}
        </p>
      ))}
    </Layout>
  );
}
