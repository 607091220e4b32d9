"""Racing requests for the concurrency tests: real threads, one test client each."""
import threading


def race(app, requests):
    """Run (method, path, headers, json) requests at once, each from its own thread and client;
    returns [(status, json)] in the order given."""
    barrier, results = threading.Barrier(len(requests)), [None] * len(requests)

    def run(i, method, path, headers, body):
        client = app.test_client()
        barrier.wait()
        resp = client.open(path, method=method, headers=headers, json=body)
        results[i] = (resp.status_code, resp.get_json())

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
