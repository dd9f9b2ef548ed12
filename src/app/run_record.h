/*
 * smaptop --record FILE: the recorder's loop. Samples the live system every
 * -d seconds (10 by default) into the history database until SIGINT or
 * SIGTERM, or for -n samples; a signal lets the sample being written finish.
 */
#ifndef SMAPTOP_RUN_RECORD_H
#define SMAPTOP_RUN_RECORD_H

#include "app/cli.h"
#include "util/buf.h"

/* Runs the recorder. Returns the exit status (0, 1, 2); msg gets the lines for stderr. */
int run_record(const struct opts *o, struct buf *msg);

#endif
