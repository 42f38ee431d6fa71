import { Injectable } from '@nestjs/common';

/** Set once a shutdown has begun: GET /health then answers 503 `draining`. */
@Injectable()
export class DrainState {
  draining = false;
}
