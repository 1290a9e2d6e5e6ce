"""A peer for the simulator's speed: M/M/c+M as a plain Python event list
(heapq of tuples, a deque of waiting calls, lazy cancellation of abandonment).
Usage: python3 mmc_plus_m_heapq.py CALLS AGENTS CALLS_PER_HOUR AHT PATIENCE SEED"""
import heapq
import random
import sys
from collections import deque

THRESHOLD, SHORT_ABANDON = 20.0, 5.0
ARRIVAL, DEPARTURE, ABANDON = 0, 1, 2


def main():
    calls, agents = int(sys.argv[1]), int(sys.argv[2])
    rate, aht, patience = float(sys.argv[3]) / 3600.0, float(sys.argv[4]), float(sys.argv[5])
    rng = random.Random(int(sys.argv[6]))
    events = [(rng.expovariate(rate), 0, ARRIVAL, None)]
    seq = 1
    waiting = deque()
    free = agents
    arrived = answered = within = abandoned = short = 0
    while events:
        now, _, kind, call = heapq.heappop(events)
        if kind == ARRIVAL:
            arrived += 1
            if arrived < calls:
                heapq.heappush(events, (now + rng.expovariate(rate), seq, ARRIVAL, None))
                seq += 1
            if free > 0:
                free -= 1
                answered += 1
                within += 1
                heapq.heappush(events, (now + rng.expovariate(1 / aht), seq, DEPARTURE, None))
            else:
                call = [now, False, False]  # arrived, answered, abandoned
                waiting.append(call)
                heapq.heappush(events, (now + rng.expovariate(1 / patience), seq, ABANDON, call))
            seq += 1
        elif kind == ABANDON:
            if call[1]:
                continue  # answered meanwhile: lazy cancellation
            call[2] = True
            abandoned += 1
            if now - call[0] <= SHORT_ABANDON:
                short += 1
        else:
            while waiting and waiting[0][2]:
                waiting.popleft()
            if not waiting:
                free += 1
                continue
            call = waiting.popleft()
            call[1] = True
            answered += 1
            if now - call[0] <= THRESHOLD:
                within += 1
            heapq.heappush(events, (now + rng.expovariate(1 / aht), seq, DEPARTURE, None))
            seq += 1
    sl = within / (answered + abandoned - short)
    print(f"calls={arrived} abandoned={abandoned} p_abandon={abandoned / arrived:.6f} service_level={sl:.6f}")


main()
