"""The server machinery: how Gradflow is started, served on every core and kept fast and bounded.

None of it is about gradients; pages/, ui/ and core/ never need it, apart from the one decorator
`turns.in_turn` on the playground's fragments. docs/server.md tells the whole story, from
`make run` to a served page. The entry points stay at the top: serve.py (what `make run`, the
Dockerfile and compose start) and app.py (the script Streamlit runs for every page).

    serve.py ─ warmup.probe_tensorflow   trial import of TensorFlow in a child process
             ├ workers.run_workers       GRADFLOW_WORKERS > 1: that many copies of serve.py on one port
             ├ warmup.warm_up            TensorFlow imported and its compiled paths run once
             ├ warmup.freeze_imports     gc.freeze() over the imports
             └ workers.use_gradflow_socket
                                         Streamlit's socket: TCP_NODELAY, SO_REUSEPORT and a BPF
                                         program keeping each client address on one worker
    app.py ─── turns.TURNS.turn()        each run waits for the runs before it, then runs alone
             └ widgets.forget_stale_widgets
                                         widget metadata Streamlit 1.67 never prunes, pruned

Modules:

- `warmup`: the steps before Streamlit starts (trial import, warm-up, gc.freeze).
- `workers`: the listening socket, and several worker processes sharing it (Linux only).
- `turns`: the runs of one process take turns, first come first served.
- `widgets`: the widget-metadata pruning that keeps a long session's memory bounded.
"""
