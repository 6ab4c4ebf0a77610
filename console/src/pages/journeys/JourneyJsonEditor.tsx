// The journey's JSON in CodeMirror (loaded only when the editor opens): syntax errors and the API's problems
// drawn on the field they name.
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { syntaxTree } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import type { EditorState } from '@codemirror/state';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { JourneyProblem } from './queries.js';

type SyntaxNode = ReturnType<ReturnType<typeof syntaxTree>['resolve']>;

const children = (node: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};
const PUNCTUATION = new Set(['{', '}', '[', ']', ',', ':', '⚠']);

/**
 * Where a problem's path (`steps.welcome.next`) is in the text: the property it names, or the deepest one
 * that exists when the field itself is missing (a step without `next` is marked at the step).
 */
export function rangeOfPath(state: EditorState, path: string): { from: number; to: number } {
  const top = syntaxTree(state).topNode;
  let value = children(top).find((c) => !PUNCTUATION.has(c.name));
  let found = { from: 0, to: Math.min(state.doc.length, 1) };
  for (const segment of path === '' ? [] : path.split('.')) {
    if (!value) break;
    let next: SyntaxNode | undefined;
    if (value.name === 'Object') {
      for (const property of children(value).filter((c) => c.name === 'Property')) {
        const name = property.getChild('PropertyName');
        if (!name) continue;
        let key: unknown;
        try {
          key = JSON.parse(state.sliceDoc(name.from, name.to));
        } catch {
          continue;
        }
        if (key === segment) {
          found = { from: name.from, to: name.to };
          next = children(property).filter((c) => !PUNCTUATION.has(c.name) && c.name !== 'PropertyName')[0];
          break;
        }
      }
    } else if (value.name === 'Array' && /^\d+$/.test(segment)) {
      next = children(value).filter((c) => !PUNCTUATION.has(c.name))[Number(segment)];
      if (next) found = { from: next.from, to: next.to };
    }
    if (!next) break;
    value = next;
  }
  return found;
}

export default function JourneyJsonEditor({
  value,
  onChange,
  problems,
  label,
}: {
  value: string;
  onChange: (text: string) => void;
  problems: JourneyProblem[];
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  // The editor is made once and owns its text; later `value`s arrive through the effect below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: made once, on purpose
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      doc: value,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) changed.current(u.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => editor.destroy();
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const syntax = jsonParseLinter()(editor);
    const diagnostics: Diagnostic[] =
      syntax.length > 0
        ? syntax
        : problems.map((p) => ({
            ...rangeOfPath(editor.state, p.path),
            severity: 'error',
            message: p.path ? `${p.path}: ${p.message}` : p.message,
          }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [problems]);

  return <div ref={host} className="journey-json-editor" data-testid="journey-json-editor" />;
}
