#!/bin/sh
# jsonpipe-task.sh: jsonpipe for engines that fail a task on any non-zero
# exit (Hadoop Streaming, Spark RDD.pipe). Exit 1 only says records were
# rejected, which the run reports and counts: it becomes 0 here. A usage
# error (2), an input or output error (3) or a signal still fails the task.
# Uses the jsonpipe next to this script when there is one, else PATH's.
here=$(dirname "$0")
if [ -x "$here/jsonpipe" ]; then jp=$here/jsonpipe; else jp=jsonpipe; fi
"$jp" "$@"
status=$?
[ "$status" -eq 1 ] && exit 0
exit "$status"
