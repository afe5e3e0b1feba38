// What is wrong with a project folder, said so that an editor can jump to it: the message starts
// with `file:line:` (the file relative to the project) and names the field when a config is at fault.
export interface ProblemPlace {
  /** Relative to the project's root, with forward slashes: functions/hello/function.jsonc. */
  file?: string;
  line?: number;
  /** The config field at fault, as written: triggers.events[0].priority. */
  field?: string;
}

export class ProjectError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;

  constructor(message: string, place: ProblemPlace = {}) {
    super(message);
    this.name = "ProjectError";
    if (place.file !== undefined) this.file = place.file;
    if (place.line !== undefined) this.line = place.line;
    if (place.field !== undefined) this.field = place.field;
  }
}
