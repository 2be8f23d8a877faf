export { createLedger, FAULTS, type FaultName, isFault, traderFaults } from './faults.ts';
export { audienceBin, Recorder } from './recorder.ts';
export { Simulation, type SimulationOptions } from './simulation.ts';
export { Trader, type TraderFaults } from './trader.ts';
export { TimingWheel } from './wheel.ts';
