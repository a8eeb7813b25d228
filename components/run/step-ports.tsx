import type { StepRunRecord } from '@/lib/engine/types';
import type { InputPort, Step } from '@/lib/pipeline/schema';

import { formatBytes } from './format-bytes';
import { describeInputSource } from './input-source';

function PortName({ name, type }: { name: string; type: string }) {
  return (
    <th scope="row" className="py-1 pr-3 text-left align-top font-normal whitespace-nowrap">
      <span className="font-mono text-slate-900">{name}</span> <span className="text-slate-400">{type}</span>
    </th>
  );
}

const valueClass = 'w-full py-1 font-mono break-all whitespace-pre-wrap text-slate-800';

/** Lists the step's inputs: resolved values once the step started, else where each value will come from. */
export function StepInputs({ step, record }: { step: Step | undefined; record: StepRunRecord }) {
  // A run keeps the pipeline it ran, so the definition is normally there; the record alone still
  // lists the resolved values.
  const ports: InputPort[] = step?.inputs ?? Object.keys(record.inputs).map((name) => ({ name, type: 'string' }));
  if (ports.length === 0) {
    return <p className="text-xs text-slate-500">No inputs.</p>;
  }

  return (
    <table className="w-full text-xs">
      <tbody>
        {ports.map((port) => {
          const value = record.inputs[port.name];
          return (
            <tr key={port.name} className="border-t border-slate-100 first:border-t-0">
              <PortName name={port.name} type={port.type} />
              {value !== undefined ? (
                <td className={valueClass}>{value}</td>
              ) : (
                <td className="w-full py-1 text-slate-500 italic">{describeInputSource(port)}</td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Lists the step's outputs: small values, and artifacts as their stored path and size. */
export function StepOutputs({ step, record }: { step: Step | undefined; record: StepRunRecord }) {
  const declared = step?.outputs ?? [];
  const names = new Set([...declared.map((port) => port.name), ...Object.keys(record.outputs)]);
  if (names.size === 0) {
    return <p className="text-xs text-slate-500">No outputs.</p>;
  }

  return (
    <table className="w-full text-xs">
      <tbody>
        {[...names].map((name) => {
          const output = record.outputs[name];
          const type = declared.find((port) => port.name === name)?.type ?? output?.type ?? '';
          return (
            <tr key={name} className="border-t border-slate-100 first:border-t-0">
              <PortName name={name} type={type} />
              {output === undefined ? (
                <td className="w-full py-1 text-slate-500 italic">not produced yet</td>
              ) : output.type === 'value' ? (
                <td className={valueClass}>{output.value}</td>
              ) : (
                <td className={valueClass}>
                  {output.path}{' '}
                  <span className="font-sans text-slate-500">
                    ({output.bytes === null ? 'size not known: stored on the cluster' : formatBytes(output.bytes)})
                  </span>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
