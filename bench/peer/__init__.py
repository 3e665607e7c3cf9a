"""A bare Viewflow 2.4 project with one flow of the exemption flow's shape (start → check → investigate →
end), the peer that bench/transitions_bench.py measures our transitions against. Its own settings, no
audit, no case, no visibility rules: what the same steps cost in Viewflow alone."""
