"""A peer for the simulator's speed: M/M/c+M in SimPy 3, written the way a
SimPy user would (a Resource for the agents, `request | timeout` for
patience). Usage: python3 mmc_plus_m_simpy.py CALLS AGENTS CALLS_PER_HOUR AHT PATIENCE SEED"""
import random
import sys

import simpy

THRESHOLD, SHORT_ABANDON = 20.0, 5.0


def main():
    calls, agents = int(sys.argv[1]), int(sys.argv[2])
    rate, aht, patience = float(sys.argv[3]) / 3600.0, float(sys.argv[4]), float(sys.argv[5])
    rng = random.Random(int(sys.argv[6]))
    env = simpy.Environment()
    staff = simpy.Resource(env, capacity=agents)
    n = {"arrived": 0, "answered": 0, "within": 0, "abandoned": 0, "short": 0}

    def caller():
        arrived = env.now
        req = staff.request()
        got = yield req | env.timeout(rng.expovariate(1 / patience))
        if req in got:
            n["answered"] += 1
            if env.now - arrived <= THRESHOLD:
                n["within"] += 1
            yield env.timeout(rng.expovariate(1 / aht))
            staff.release(req)
        else:
            req.cancel()
            n["abandoned"] += 1
            if env.now - arrived <= SHORT_ABANDON:
                n["short"] += 1

    def source():
        while n["arrived"] < calls:
            yield env.timeout(rng.expovariate(rate))
            n["arrived"] += 1
            env.process(caller())

    env.process(source())
    env.run()
    sl = n["within"] / (n["answered"] + n["abandoned"] - n["short"])
    print(f"calls={n['arrived']} abandoned={n['abandoned']} p_abandon={n['abandoned'] / n['arrived']:.6f} "
          f"service_level={sl:.6f}")


main()
