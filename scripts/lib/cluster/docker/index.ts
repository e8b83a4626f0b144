// What the rest of the kit uses from the docker backend.
export { createDockerBackend } from './backend.ts';
export { dockerEngineAnswers } from './detect.ts';
export { loadImages, saveImages } from './pull.ts';
export { OFFLINE_ARCHIVE } from './images.ts';
