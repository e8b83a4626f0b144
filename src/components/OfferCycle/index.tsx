// A step-by-step animation of one resource offer cycle in Mesos: agents report resources, the master
// offers them to a framework, the framework launches a task on part of an offer, status updates flow
// back. Buttons and the arrow keys move between steps; autoplay is off under prefers-reduced-motion.
import React, { useEffect, useId, useRef, useState } from 'react';
import styles from './styles.module.css';

type Node = 'agente1' | 'agente2' | 'master' | 'marathon' | 'chronos';

interface Step {
  title: string;
  text: string;
  /** Arrows drawn in this step: from → to, with a label. */
  arrows: { from: Node; to: Node; label: string }[];
  /** Boxes highlighted in this step. */
  active: Node[];
}

export const STEPS: readonly Step[] = [
  {
    title: '1. Os agentes anunciam os seus recursos',
    text: 'Cada agente se registra no master dizendo o que tem: o agente 1, por exemplo, cpus 2, mem 1024 MB e as portas 31000–31009, com o atributo rack:a.',
    arrows: [
      { from: 'agente1', to: 'master', label: 'cpus 2, mem 1024' },
      { from: 'agente2', to: 'master', label: 'cpus 2, mem 1024' },
    ],
    active: ['agente1', 'agente2', 'master'],
  },
  {
    title: '2. O master escolhe a quem oferecer',
    text: 'O alocador do master reparte os recursos entre os frameworks registrados com o DRF: quem recebeu menos da sua fatia dominante recebe a próxima oferta. Aqui é a vez do Marathon.',
    arrows: [],
    active: ['master'],
  },
  {
    title: '3. A oferta de recursos',
    text: 'O master envia ao Marathon uma oferta: os recursos livres do agente 1. Enquanto a oferta estiver com o Marathon, esses recursos não são oferecidos a mais ninguém.',
    arrows: [{ from: 'master', to: 'marathon', label: 'oferta: agente 1, cpus 2, mem 1024' }],
    active: ['master', 'marathon'],
  },
  {
    title: '4. O framework decide e lança',
    text: 'O Marathon compara a oferta com o que precisa (uma instância de cpus 0.1 e mem 64, com restrições de posicionamento) e aceita só essa parte, lançando uma tarefa. É o segundo nível do escalonamento: quem escolhe onde a tarefa roda é o framework.',
    arrows: [{ from: 'marathon', to: 'master', label: 'aceita: lançar tarefa (cpus 0.1, mem 64)' }],
    active: ['marathon', 'master'],
  },
  {
    title: '5. O master manda o agente rodar a tarefa',
    text: 'O master repassa a tarefa ao agente 1, que cria o sandbox, inicia o executor e o comando. O que sobrou da oferta (cpus 1.9, mem 960) volta a ficar livre para as próximas ofertas.',
    arrows: [{ from: 'master', to: 'agente1', label: 'rodar tarefa' }],
    active: ['master', 'agente1'],
  },
  {
    title: '6. As atualizações de status',
    text: 'O agente informa cada mudança de estado da tarefa (TASK_STAGING, TASK_STARTING, TASK_RUNNING e, no fim, TASK_FINISHED, TASK_FAILED ou TASK_LOST). O master repassa ao framework, que confirma o recebimento.',
    arrows: [
      { from: 'agente1', to: 'master', label: 'TASK_RUNNING' },
      { from: 'master', to: 'marathon', label: 'TASK_RUNNING' },
    ],
    active: ['agente1', 'master', 'marathon'],
  },
  {
    title: '7. E o ciclo recomeça',
    text: 'Recursos livres voltam a ser oferecidos, agora talvez ao Chronos. Um framework que não precisa de nada recusa a oferta, e o master a oferece a outro depois de um tempo.',
    arrows: [{ from: 'master', to: 'chronos', label: 'oferta: agente 2' }],
    active: ['master', 'chronos'],
  },
];

const BOXES: Record<Node, { x: number; y: number; label: string; sub: string }> = {
  agente1: { x: 20, y: 200, label: 'agente 1', sub: 'rack:a' },
  agente2: { x: 220, y: 200, label: 'agente 2', sub: 'rack:b' },
  master: { x: 120, y: 100, label: 'master', sub: 'alocador (DRF)' },
  marathon: { x: 20, y: 0, label: 'Marathon', sub: 'framework' },
  chronos: { x: 220, y: 0, label: 'Chronos', sub: 'framework' },
};
const W = 160;
const H = 56;

function center(n: Node): [number, number] {
  const b = BOXES[n];
  return [b.x + W / 2, b.y + H / 2];
}

/** The point where the line from a box's centre towards (tx, ty) leaves the box. */
function edge(n: Node, tx: number, ty: number): [number, number] {
  const [cx, cy] = center(n);
  const dx = tx - cx;
  const dy = ty - cy;
  const s = Math.min(Math.abs(W / 2 / (dx || 1e-9)), Math.abs(H / 2 / (dy || 1e-9)));
  return [cx + dx * s, cy + dy * s];
}

function usePrefersReducedMotion(): boolean {
  const [reduced, setReduced] = useState(false);
  useEffect(() => {
    const q = window.matchMedia('(prefers-reduced-motion: reduce)');
    setReduced(q.matches);
    const on = () => setReduced(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  return reduced;
}

export default function OfferCycle(): React.JSX.Element {
  const id = useId();
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const reduced = usePrefersReducedMotion();
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  const last = STEPS.length - 1;

  useEffect(() => {
    if (!playing) return undefined;
    timer.current = setInterval(() => {
      setStep((s) => {
        if (s >= last) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, 3500);
    return () => clearInterval(timer.current);
  }, [playing, last]);

  useEffect(() => {
    if (reduced) setPlaying(false);
  }, [reduced]);

  const go = (n: number) => setStep(Math.max(0, Math.min(last, n)));
  const current = STEPS[step];

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowRight') go(step + 1);
    else if (e.key === 'ArrowLeft') go(step - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(last);
    else return;
    e.preventDefault();
  };

  return (
    <section
      className={styles.box}
      aria-labelledby={`${id}-title`}
      aria-roledescription="animação passo a passo"
      data-component="offer-cycle"
      data-step={step + 1}
      data-reduced-motion={reduced ? 'sim' : 'não'}
    >
      <p id={`${id}-title`} className={styles.title}>
        O ciclo de uma oferta de recursos
      </p>
      <div
        className={styles.figure}
        tabIndex={0}
        role="group"
        aria-label="Diagrama do ciclo de oferta; use as setas esquerda e direita para mudar de passo"
        onKeyDown={onKeyDown}
      >
        <svg viewBox="0 0 400 260" className={styles.svg} aria-hidden="true" focusable="false">
          <defs>
            <marker
              id={`${id}-arrow`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHead} />
            </marker>
          </defs>
          {(Object.keys(BOXES) as Node[]).map((n) => {
            const b = BOXES[n];
            const on = current.active.includes(n);
            return (
              <g key={n} className={on ? styles.nodeOn : styles.node}>
                <rect x={b.x} y={b.y} width={W} height={H} rx={8} />
                <text x={b.x + W / 2} y={b.y + 24} textAnchor="middle" className={styles.label}>
                  {b.label}
                </text>
                <text x={b.x + W / 2} y={b.y + 43} textAnchor="middle" className={styles.sub}>
                  {b.sub}
                </text>
              </g>
            );
          })}
          {current.arrows.map((a, i) => {
            const [tx, ty] = center(a.to);
            const [fx, fy] = center(a.from);
            const [x1, y1] = edge(a.from, tx, ty);
            const [x2, y2] = edge(a.to, fx, fy);
            return (
              <line
                key={`${step}-${i}`}
                x1={x1}
                y1={y1}
                x2={x2}
                y2={y2}
                className={styles.arrow}
                markerEnd={`url(#${id}-arrow)`}
              />
            );
          })}
        </svg>
      </div>
      <div aria-live="polite">
        <p className={styles.stepTitle}>{current.title}</p>
        <p>{current.text}</p>
        {current.arrows.length > 0 && (
          <ul className={styles.messages}>
            {current.arrows.map((a, i) => (
              <li key={i}>
                {BOXES[a.from].label} → {BOXES[a.to].label}: {a.label}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className={styles.controls}>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => go(step - 1)}
          disabled={step === 0}
        >
          ← Anterior
        </button>
        <span className={styles.counter}>
          Passo {step + 1} de {STEPS.length}
        </span>
        <button
          type="button"
          className="button button--primary"
          onClick={() => go(step + 1)}
          disabled={step === last}
        >
          Próximo →
        </button>
        {!reduced && (
          <button
            type="button"
            className="button button--outline button--secondary"
            aria-pressed={playing}
            onClick={() => {
              if (!playing && step === last) setStep(0);
              setPlaying(!playing);
            }}
          >
            {playing ? 'Pausar' : 'Reproduzir'}
          </button>
        )}
        <button
          type="button"
          className="button button--link"
          onClick={() => {
            setPlaying(false);
            go(0);
          }}
        >
          Recomeçar
        </button>
      </div>
    </section>
  );
}
