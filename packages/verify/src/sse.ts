export type SseEvent = { id?: string; event?: string; data: string };

/**
 * Reads Server-Sent Events from a response body (the WHATWG event-stream format: `field: value`
 * lines, a blank line ends an event, lines starting with `:` are comments). `onChunk` hears every
 * chunk, keep-alive comments included, so a reader can tell a quiet stream from a dead one.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, onChunk?: () => void): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: Partial<SseEvent> & { dataLines: string[] } = { dataLines: [] };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    onChunk?.();
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    // biome-ignore lint/suspicious/noAssignInExpressions: take lines while the buffer holds a whole one
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.dataLines.length > 0) yield { id: event.id, event: event.event, data: event.dataLines.join('\n') };
        event = { dataLines: [], id: event.id };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.dataLines.push(value);
      else if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
    }
  }
}
