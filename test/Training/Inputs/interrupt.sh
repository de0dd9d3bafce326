# interrupt.sh LOG COMMAND...: runs COMMAND with its output in LOG, sends it
# SIGINT (Ctrl-C) once its first progress line is there, and prints its
# exit status and the error it ended with.
log=$1
shift
"$@" > "$log" 2>&1 &
pid=$!
until grep -q step "$log"; do sleep 0.05; done
kill -INT $pid
wait $pid
echo "exit $?"
grep error "$log"
