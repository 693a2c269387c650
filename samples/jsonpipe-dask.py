#!/usr/bin/env python3
"""jsonpipe-dask.py: run jsonpipe over many files on a Dask cluster.

    jsonpipe-dask.py [--local N | --scheduler ADDR] --out DIR FILE... [-- JSONPIPE_ARGS...]

One task per FILE runs `jsonpipe JSONPIPE_ARGS -o DIR/NAME -e DIR/NAME.errors
--stats FILE` on a worker, and the merged statistics are printed on standard
output as one JSON object. Without --scheduler a LocalCluster of N worker
processes (default: the CPUs this process may use), one thread each, runs the tasks.

NAME is the input's base name, so an output is compressed as its input was:
a compression jsonpipe reads but does not write (.xz, .bz2, .lz4) becomes
.gz, and a tar archive's .tar (or .tgz) becomes .ndjson, as the output holds
its members' records (logs.tar.gz -> logs.ndjson.gz). Two inputs that would
write one file are refused.

A task that is retried (its worker lost) or a run that is repeated writes
the same bytes: jsonpipe writes each -o and -e file to a temporary file
and renames it into place, so a task simply runs again. Give --now (and
--uuid FIELD=stable) with --timestamp or --uuid so the records themselves
are the same on every attempt.

The statistics are jsonpipe's --stats keys (each task's is the last line
of its standard error; its other messages are passed on to ours): the
counters summed over the tasks ("threads" too: the worker threads of all
of them), "seconds" the wall clock of the whole run,
"peak_rss_bytes" the largest task's,
"stages" summed stage by stage; then "tasks", the number of inputs, and
"inputs", one entry per input in argument order with its "input",
"output", "errors", "status" and jsonpipe's own "stats" (null when it
printed none).

Exit status: the highest status of any task, so 0 when every task exited
0, 1 when records were rejected, 3 when an input could not be read or an
output written, 128+N when a jsonpipe was ended by signal N (130 and 143:
stopped by SIGINT and SIGTERM). 3 also when a task could not run at all,
jsonpipe is not found, this Python lacks distributed, DIR cannot be made
or the scheduler reached; 2 for a usage error, of this script or of
JSONPIPE_ARGS (checked once, before a cluster starts) or a scheduler
address that is not one. Every task that did not exit 0 is named on
standard error. Stopped by SIGINT, the run exits 130: run it again to
finish (a jsonpipe stopped too wrote a prefix of its output, one still
running finishes it).

jsonpipe is $JSONPIPE, else the jsonpipe next to this script, else PATH's.
Tasks run in this directory with the paths as given, so error records
name the inputs as a single run would: this directory, the FILEs, DIR and
jsonpipe must be at the same paths on every worker (a shared file system)
when --scheduler names a remote cluster. Each jsonpipe uses every core:
add -j to JSONPIPE_ARGS when workers share a machine.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

PROG = "jsonpipe-dask"
WRITTEN = (".gz", ".zst")          # what jsonpipe -o compresses by name
READ_ONLY = (".xz", ".bz2", ".lz4")  # read by jsonpipe, never written
OWNED = ("--output", "--errors")   # options this script gives each task
PEAK = "peak_rss_bytes"
# jsonpipe's --stats keys, so that a run in which no task printed its stats
# has them too (at 0); keys a newer jsonpipe adds are summed as they come.
KEYS = ("records_in", "records_out", "rejected", "dropped", "blank_lines", "bytes_in",
        "bytes_out", "seconds", PEAK, "files", "input_errors", "threads")


def parse_args(argv):
    """The options before "--", and jsonpipe's arguments after it."""
    if "--" in argv:
        cut = argv.index("--")
        ours, theirs = argv[:cut], argv[cut + 1:]
    else:
        ours, theirs = argv, []
    parser = argparse.ArgumentParser(
        prog="jsonpipe-dask.py",
        usage="%(prog)s [--local N | --scheduler ADDR] --out DIR FILE... [-- JSONPIPE_ARGS...]",
        description="Run one jsonpipe task per FILE on a Dask cluster.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--local", type=positive, metavar="N",
                       help="a LocalCluster of N worker processes "
                       "(default: the CPUs this process may use)")
    where.add_argument("--scheduler", metavar="ADDR", type=address,
                       help="the address of a running Dask scheduler")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="the directory each task writes its output and errors to")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(ours)
    if "--" in theirs:
        parser.error("JSONPIPE_ARGS may not hold another --: the inputs are the FILEs")
    for arg in theirs:
        if owned_option(arg):
            parser.error(f"JSONPIPE_ARGS may not set {arg}: "
                         "each task's -o and -e are DIR/NAME and DIR/NAME.errors")
    if "-" in args.files:
        parser.error("standard input (-) cannot be a task's input")
    try:
        args.tasks = plan_tasks(args.files, args.out)
    except ValueError as e:
        parser.error(str(e))
    args.jsonpipe_args = theirs
    return args


def address(text):
    """argparse type: a scheduler address, which an empty one is not."""
    if not text:
        raise argparse.ArgumentTypeError("an empty scheduler address")
    return text


def positive(text):
    """argparse type: an integer of at least 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a positive number of workers: '{text}'")
    return n


def owned_option(arg):
    """Whether arg sets -o or -e, in a spelling getopt_long takes (a prefix, a cluster)."""
    if arg.startswith("--"):
        name = arg.split("=", 1)[0]
        return len(name) > 2 and any(o.startswith(name) for o in OWNED)
    for letter in arg[1:] if arg.startswith("-") else "":
        if letter in "oe":
            return True
        if letter not in "fhV":
            return False
    return False


def output_name(path):
    """The name of the file a task writes for input path (see the docstring)."""
    name = os.path.basename(path)
    for suffix in READ_ONLY:
        if name.endswith(suffix):
            name = name[:-len(suffix)] + ".gz"
    if name.endswith(".tgz"):
        name = name[:-len(".tgz")] + ".tar.gz"
    for suffix in ("",) + WRITTEN:
        if name.endswith(".tar" + suffix) and len(name) > len(".tar" + suffix):
            return name[:-len(".tar" + suffix)] + ".ndjson" + suffix
    return name


def plan_tasks(files, out):
    """One task per input: its paths, every file written by one task only."""
    tasks, writer = [], {}
    inputs = {os.path.realpath(path) for path in files}
    for path in files:
        name = output_name(path)
        if name in ("", ".", ".."):
            raise ValueError(f"'{path}' has no file name to write")
        task = {"input": path,
                "output": os.path.join(out, name),
                "errors": os.path.join(out, name + ".errors")}
        for target in (task["output"], task["errors"]):
            if target in writer:
                raise ValueError(f"'{path}' and '{writer[target]}' would both write {target}")
            if os.path.realpath(target) in inputs:
                raise ValueError(f"'{path}' would write {target}, an input")
            writer[target] = path
        tasks.append(task)
    return tasks


def find_jsonpipe():
    """$JSONPIPE, the jsonpipe beside this script, or PATH's, as an absolute path."""
    named = os.environ.get("JSONPIPE")
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jsonpipe")
    for candidate in ([named] if named else [beside, "jsonpipe"]):
        found = shutil.which(candidate)
        if found:
            return os.path.abspath(found)
    where = f"JSONPIPE={named}" if named else "none beside this script nor on PATH"
    print(f"{PROG}: cannot find jsonpipe ({where})", file=sys.stderr)
    sys.exit(3)


def command(jsonpipe, jsonpipe_args, task):
    """The jsonpipe command line of one task: paths as given, so that its error
    records name the input as a single run would; bytes, as a file name
    need not be UTF-8."""
    return [os.fsencode(arg) for arg in
            [jsonpipe, *jsonpipe_args, "--no-progress", "--stats",
             "-o", task["output"], "-e", task["errors"], "--", task["input"]]]


def run_task(argv, cwd):
    """On a worker, in the client's directory: run one jsonpipe; its status,
    --stats and other messages."""
    done = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    status = done.returncode if done.returncode >= 0 else 128 - done.returncode
    lines = done.stderr.decode("utf-8", "replace").splitlines()
    stats = None
    if lines and lines[-1].startswith('{"records_in":'):
        stats = json.loads(lines.pop())
    return {"status": status, "stats": stats, "messages": lines}


def check_usage(jsonpipe, jsonpipe_args):
    """Refuse JSONPIPE_ARGS that jsonpipe refuses, once, before any cluster starts."""
    done = subprocess.run([jsonpipe, *jsonpipe_args, "--no-progress", "-o", os.devnull,
                           "-e", os.devnull, "--", "-"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode == 2:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        sys.exit(2)


def dask_client():
    """distributed's Client class, or exit 3 saying this Python lacks it."""
    try:
        from distributed import Client
    except ImportError as e:
        print(f"{PROG}: {sys.executable} cannot import distributed ({e}): install it "
              "(python3-distributed) or run this script with a Python that has it", file=sys.stderr)
        sys.exit(3)
    return Client


def connect(args, Client):
    """A client of the scheduler args name, or of a LocalCluster it starts
    and stops with itself; exit 2 on an address that is not one, 3 when
    the scheduler cannot be reached."""
    try:
        if args.scheduler is not None:
            return Client(args.scheduler)
        return Client(n_workers=args.local or len(os.sched_getaffinity(0)), threads_per_worker=1,
                      processes=True, host="127.0.0.1", dashboard_address=None)
    except (OSError, ValueError) as e:
        print(f"{PROG}: cannot connect to the scheduler {args.scheduler or '(local)'}: {e}",
              file=sys.stderr)
        sys.exit(2 if isinstance(e, ValueError) else 3)


def run_all(args, argvs, Client):
    """Every task's result, in input order."""
    with connect(args, Client) as client:
        here = [os.getcwdb()] * len(argvs)
        futures = client.map(run_task, argvs, here, key=task_keys(args.tasks))
        return [result(f) for f in futures]


def task_keys(tasks):
    """Dask's names of the tasks: unique, in ASCII, saying what each writes.

    A scheduler takes a key it knows for the same task and hands back that
    task's result, so each run's keys carry a token of its own: two runs on
    one cluster (other arguments, another DIR) never share a result."""
    run = uuid.uuid4().hex[:12]
    names = (os.fsencode(os.path.basename(t["output"])).decode("ascii", "backslashreplace")
             for t in tasks)
    return [f"jsonpipe-{run}-{i}-{name}" for i, name in enumerate(names)]


def result(future):
    """A task's result; one that never ran to an exit status counts as status 3."""
    try:
        return future.result()
    except Exception as e:  # whatever the worker or the scheduler raised
        return {"status": 3, "stats": None, "messages": [f"{PROG}: the task failed: {e!r}"]}


def merge_stats(all_stats):
    """jsonpipe --stats objects summed (peak RSS: the largest), stages by position."""
    merged = dict.fromkeys(KEYS, 0)
    merged["stages"] = []
    for stats in all_stats:
        for key, value in stats.items():
            if key == "stages":
                merged[key] = merge_stages(merged.get(key, []), value)
            elif key == PEAK:
                merged[key] = max(merged.get(key, 0), value)
            else:
                merged[key] = merged.get(key, 0) + value
    return merged


def merge_stages(into, stages):
    """Stage counters added to those summed so far."""
    if not into:
        return [dict(s) for s in stages]
    for total, stage in zip(into, stages):
        for key, value in stage.items():
            if key != "name":
                total[key] += value
    return into


def round_stages(stats):
    """Sums of stage seconds to the milliseconds jsonpipe prints."""
    for stage in stats.get("stages", []):
        stage["cpu_seconds"] = round(stage["cpu_seconds"], 3)
    return stats


def failure(task, result):
    """The line that names a task that did not exit 0."""
    line = f"{PROG}: {task['input']}: jsonpipe exited with status {result['status']}"
    if result["status"] == 1 and result["stats"]:
        line += f" ({result['stats']['rejected']} rejected, in {task['errors']})"
    return line


def report(tasks, results, seconds):
    """The merged statistics, and each task that did not exit 0 on stderr; the exit status."""
    entries = []
    for task, result in zip(tasks, results):
        for line in result["messages"]:
            print(line, file=sys.stderr)
        if result["status"] != 0:
            print(failure(task, result), file=sys.stderr)
        entries.append({**task, "status": result["status"], "stats": result["stats"]})
    merged = round_stages(merge_stats(r["stats"] for r in results if r["stats"]))
    merged["seconds"] = round(seconds, 3)
    merged["tasks"] = len(tasks)
    merged["inputs"] = entries
    print(json.dumps(merged, separators=(",", ":")))
    return max(r["status"] for r in results)


def main():
    args = parse_args(sys.argv[1:])
    jsonpipe = find_jsonpipe()
    check_usage(jsonpipe, args.jsonpipe_args)
    client_class = dask_client()
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as e:
        print(f"{PROG}: cannot make the directory {args.out}: {e.strerror}", file=sys.stderr)
        sys.exit(3)
    argvs = [command(jsonpipe, args.jsonpipe_args, t) for t in args.tasks]
    start = time.monotonic()
    try:
        results = run_all(args, argvs, client_class)
    except KeyboardInterrupt:
        sys.exit(128 + signal.SIGINT)
    return report(args.tasks, results, time.monotonic() - start)


if __name__ == "__main__":
    sys.exit(main())
