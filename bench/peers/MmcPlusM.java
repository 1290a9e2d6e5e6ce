// A peer for the simulator's speed: M/M/c+M written plainly, the way a Java
// user would — a java.util.PriorityQueue of event objects, a FIFO of waiting
// calls, and lazy cancellation of abandonment (a patience event whose caller
// was already answered is skipped when it fires).
// Usage: java MmcPlusM CALLS AGENTS CALLS_PER_HOUR AHT PATIENCE SEED
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

public final class MmcPlusM {
  static final int ARRIVAL = 0, DEPARTURE = 1, ABANDON = 2;

  static final class Call {
    final double arrived;
    boolean answered, abandoned;
    Call(double arrived) { this.arrived = arrived; }
  }

  static final class Event implements Comparable<Event> {
    final double time;
    final int kind;
    final Call call;
    Event(double time, int kind, Call call) { this.time = time; this.kind = kind; this.call = call; }
    public int compareTo(Event o) { return Double.compare(time, o.time); }
  }

  public static void main(String[] args) {
    final long calls = Long.parseLong(args[0]);
    final int agents = Integer.parseInt(args[1]);
    final double rate = Double.parseDouble(args[2]) / 3600.0;
    final double aht = Double.parseDouble(args[3]);
    final double patience = Double.parseDouble(args[4]);
    final SplittableRandom rng = new SplittableRandom(Long.parseLong(args[5]));
    final double threshold = 20.0, shortAbandon = 5.0;

    PriorityQueue<Event> events = new PriorityQueue<>();
    ArrayDeque<Call> waiting = new ArrayDeque<>();
    int free = agents;
    long arrived = 0, answered = 0, answeredWithin = 0, abandoned = 0, shortAbandoned = 0, processed = 0;

    events.add(new Event(exp(rng, 1 / rate), ARRIVAL, null));
    while (!events.isEmpty()) {
      Event e = events.poll();
      ++processed;
      double now = e.time;
      switch (e.kind) {
        case ARRIVAL -> {
          ++arrived;
          if (arrived < calls) events.add(new Event(now + exp(rng, 1 / rate), ARRIVAL, null));
          Call c = new Call(now);
          if (free > 0) {
            --free;
            c.answered = true;
            ++answered;
            ++answeredWithin;
            events.add(new Event(now + exp(rng, aht), DEPARTURE, null));
          } else {
            waiting.addLast(c);
            events.add(new Event(now + exp(rng, patience), ABANDON, c));
          }
        }
        case ABANDON -> {
          Call c = e.call;
          if (c.answered) break;  // lazy cancellation
          c.abandoned = true;
          ++abandoned;
          if (now - c.arrived <= shortAbandon) ++shortAbandoned;
        }
        case DEPARTURE -> {
          Call next = waiting.pollFirst();
          while (next != null && next.abandoned) next = waiting.pollFirst();
          if (next == null) {
            ++free;
          } else {
            next.answered = true;
            ++answered;
            if (now - next.arrived <= threshold) ++answeredWithin;
            events.add(new Event(now + exp(rng, aht), DEPARTURE, null));
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    double sl = (double) answeredWithin / (answered + abandoned - shortAbandoned);
    System.out.printf("calls=%d abandoned=%d p_abandon=%.6f service_level=%.6f events=%d%n", arrived, abandoned,
        (double) abandoned / arrived, sl, processed);
  }

  static double exp(SplittableRandom rng, double mean) { return -mean * Math.log(1.0 - rng.nextDouble()); }
}
