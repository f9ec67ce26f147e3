//! Ingress (RULES.md §8): ingress-nginx installed on demand, class selection, host and
//! path matching, default backends, 503, TLS, merged Ingresses, the hop trace and the
//! generated nginx configuration.

mod common;

use common::check;
use expect_test::expect;

const APPS: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: traefik/whoami, ports: [{containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: traefik/whoami, ports: [{containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{name: http, port: 8080, targetPort: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec: {selector: {app: nothing}, ports: [{port: 80}]}\n";

const RULES: &str = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: site}\nspec:\n  rules:\n  - host: app.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}\n      - {path: /api/v2, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n      - {path: /foo, pathType: Exact, backend: {service: {name: api, port: {name: http}}}}\n      - {path: /foo, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n      - {path: /down, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}\n  - host: \"*.example.com\"\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: more}\nspec:\n  rules:\n  - host: app.example.com\n    http:\n      paths:\n      - {path: /static, pathType: ImplementationSpecific, backend: {service: {name: api, port: {name: http}}}}\n";

#[test]
fn rule_8_2_path_precedence_exact_prefix_elements_and_longest_match() {
    check(
        &format!("{APPS}{RULES}"),
        &[
            "why url http://app.example.com/foo",
            "why url http://app.example.com/foobar",
            "why url http://app.example.com/api/v2/users",
            "why url http://app.example.com/apiary",
            "why url http://app.example.com/staticfiles",
        ],
        expect![[r#"
            $ why url http://app.example.com/foo
            http://app.example.com/foo -> Ingress default/site (app.example.com Exact /foo) -> Service api
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ /foo does not start with /static
            default/site   app.example.com   /         Prefix                   web:80     ✗ matches too, but Exact /foo is longer (longest path wins, Exact before Prefix)
            default/site   app.example.com   /api      Prefix                   api:http   ✗ Prefix /api does not cover /foo (elements compare whole, split on /)
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ Prefix /api/v2 does not cover /foo (elements compare whole, split on /)
            default/site   app.example.com   /foo      Exact                    api:http   ✓ matched
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ matches too, but Exact /foo is preferred (longest path wins, Exact before Prefix)
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ Prefix /down does not cover /foo (elements compare whole, split on /)
            default/site   *.example.com     /         Prefix                   api:http   ✗ an exact rule for app.example.com takes precedence over *.example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
            $ why url http://app.example.com/foobar
            http://app.example.com/foobar -> Ingress default/site (app.example.com Prefix /) -> Service web
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ /foobar does not start with /static
            default/site   app.example.com   /         Prefix                   web:80     ✓ matched
            default/site   app.example.com   /api      Prefix                   api:http   ✗ Prefix /api does not cover /foobar (elements compare whole, split on /)
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ Prefix /api/v2 does not cover /foobar (elements compare whole, split on /)
            default/site   app.example.com   /foo      Exact                    api:http   ✗ Exact /foo is not /foobar
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ Prefix /foo does not cover /foobar (elements compare whole, split on /)
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ Prefix /down does not cover /foobar (elements compare whole, split on /)
            default/site   *.example.com     /         Prefix                   api:http   ✗ an exact rule for app.example.com takes precedence over *.example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
            $ why url http://app.example.com/api/v2/users
            http://app.example.com/api/v2/users -> Ingress default/site (app.example.com Prefix /api/v2) -> Service web
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ /api/v2/users does not start with /static
            default/site   app.example.com   /         Prefix                   web:80     ✗ matches too, but Prefix /api/v2 is longer (longest path wins, Exact before Prefix)
            default/site   app.example.com   /api      Prefix                   api:http   ✗ matches too, but Prefix /api/v2 is longer (longest path wins, Exact before Prefix)
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✓ matched
            default/site   app.example.com   /foo      Exact                    api:http   ✗ Exact /foo is not /api/v2/users
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ Prefix /foo does not cover /api/v2/users (elements compare whole, split on /)
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ Prefix /down does not cover /api/v2/users (elements compare whole, split on /)
            default/site   *.example.com     /         Prefix                   api:http   ✗ an exact rule for app.example.com takes precedence over *.example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
            $ why url http://app.example.com/apiary
            http://app.example.com/apiary -> Ingress default/site (app.example.com Prefix /) -> Service web
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ /apiary does not start with /static
            default/site   app.example.com   /         Prefix                   web:80     ✓ matched
            default/site   app.example.com   /api      Prefix                   api:http   ✗ Prefix /api does not cover /apiary (elements compare whole, split on /)
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ Prefix /api/v2 does not cover /apiary (elements compare whole, split on /)
            default/site   app.example.com   /foo      Exact                    api:http   ✗ Exact /foo is not /apiary
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ Prefix /foo does not cover /apiary (elements compare whole, split on /)
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ Prefix /down does not cover /apiary (elements compare whole, split on /)
            default/site   *.example.com     /         Prefix                   api:http   ✗ an exact rule for app.example.com takes precedence over *.example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
            $ why url http://app.example.com/staticfiles
            http://app.example.com/staticfiles -> Ingress default/more (app.example.com ImplementationSpecific /static) -> Service api
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✓ matched
            default/site   app.example.com   /         Prefix                   web:80     ✗ matches too, but ImplementationSpecific /static is longer (longest path wins, Exact before Prefix)
            default/site   app.example.com   /api      Prefix                   api:http   ✗ Prefix /api does not cover /staticfiles (elements compare whole, split on /)
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ Prefix /api/v2 does not cover /staticfiles (elements compare whole, split on /)
            default/site   app.example.com   /foo      Exact                    api:http   ✗ Exact /foo is not /staticfiles
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ Prefix /foo does not cover /staticfiles (elements compare whole, split on /)
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ Prefix /down does not cover /staticfiles (elements compare whole, split on /)
            default/site   *.example.com     /         Prefix                   api:http   ✗ an exact rule for app.example.com takes precedence over *.example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
        "#]],
    );
}

#[test]
fn rule_8_2_wildcard_hosts_cover_exactly_one_label() {
    check(
        &format!("{APPS}{RULES}"),
        &[
            "why url http://shop.example.com/",
            "why url http://a.b.example.com/",
            "why url http://example.com/",
        ],
        expect![[r#"
            $ why url http://shop.example.com/
            http://shop.example.com/ -> Ingress default/site (*.example.com Prefix /) -> Service api
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ host app.example.com does not match shop.example.com
            default/site   app.example.com   /         Prefix                   web:80     ✗ host app.example.com does not match shop.example.com
            default/site   app.example.com   /api      Prefix                   api:http   ✗ host app.example.com does not match shop.example.com
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ host app.example.com does not match shop.example.com
            default/site   app.example.com   /foo      Exact                    api:http   ✗ host app.example.com does not match shop.example.com
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ host app.example.com does not match shop.example.com
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ host app.example.com does not match shop.example.com
            default/site   *.example.com     /         Prefix                   api:http   ✓ matched
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
            $ why url http://a.b.example.com/
            http://a.b.example.com/ -> 404 from the controller's default backend: no rule matches host a.b.example.com path / and no defaultBackend applies
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ host app.example.com does not match a.b.example.com
            default/site   app.example.com   /         Prefix                   web:80     ✗ host app.example.com does not match a.b.example.com
            default/site   app.example.com   /api      Prefix                   api:http   ✗ host app.example.com does not match a.b.example.com
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ host app.example.com does not match a.b.example.com
            default/site   app.example.com   /foo      Exact                    api:http   ✗ host app.example.com does not match a.b.example.com
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ host app.example.com does not match a.b.example.com
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ host app.example.com does not match a.b.example.com
            default/site   *.example.com     /         Prefix                   api:http   ✗ host *.example.com does not match a.b.example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
            $ why url http://example.com/
            http://example.com/ -> 404 from the controller's default backend: no rule matches host example.com path / and no defaultBackend applies
            INGRESS        HOST              PATH      PATHTYPE                 BACKEND    RESULT
            default/more   app.example.com   /static   ImplementationSpecific   api:http   ✗ host app.example.com does not match example.com
            default/site   app.example.com   /         Prefix                   web:80     ✗ host app.example.com does not match example.com
            default/site   app.example.com   /api      Prefix                   api:http   ✗ host app.example.com does not match example.com
            default/site   app.example.com   /api/v2   Prefix                   web:80     ✗ host app.example.com does not match example.com
            default/site   app.example.com   /foo      Exact                    api:http   ✗ host app.example.com does not match example.com
            default/site   app.example.com   /foo      Prefix                   web:80     ✗ host app.example.com does not match example.com
            default/site   app.example.com   /down     Prefix                   empty:80   ✗ host app.example.com does not match example.com
            default/site   *.example.com     /         Prefix                   api:http   ✗ host *.example.com does not match example.com
            See: Ingress — https://kubernetes.io/docs/concepts/services-networking/ingress/
        "#]],
    );
}

#[test]
fn rule_8_3_requests_through_the_controller_the_full_hop_trace() {
    check(
        &format!("{APPS}{RULES}"),
        &[
            "kubectl get ingressclass",
            "kubectl get ingress",
            "kubectl get svc -n ingress-nginx",
            "curl -v --resolve app.example.com:30080:172.18.0.2 http://app.example.com:30080/api/users",
            "curl --resolve app.example.com:30080:172.18.0.3 http://app.example.com:30080/down",
            "curl -H 'Host: nowhere.test' http://172.18.0.2:30080/",
        ],
        expect![[r#"
            $ kubectl get ingressclass
            NAME    CONTROLLER             PARAMETERS   AGE
            nginx   k8s.io/ingress-nginx   <none>       5s
            $ kubectl get ingress
            NAME   CLASS   HOSTS                           ADDRESS      PORTS   AGE
            more   nginx   app.example.com                 172.18.0.2   80      10s
            site   nginx   app.example.com,*.example.com   172.18.0.2   80      10s
            $ kubectl get svc -n ingress-nginx
            NAME                       TYPE       CLUSTER-IP     EXTERNAL-IP   PORT(S)                      AGE
            ingress-nginx-controller   NodePort   10.102.77.35   <none>        80:30080/TCP,443:30443/TCP   15s
            $ curl -v --resolve app.example.com:30080:172.18.0.2 http://app.example.com:30080/api/users
            *   Trying 172.18.0.2:30080...
            * [kubeplay] 1. client 172.18.0.1 (outside the cluster) connects to 172.18.0.2:30080
            * [kubeplay] 2. kind-worker: KUBE-NODEPORTS ingress-nginx/ingress-nginx-controller:http --dport 30080 -> KUBE-EXT-CG5I4G2RS3ZVWGLK
            * [kubeplay] 3. kind-worker: KUBE-MARK-MASQ: the source becomes 172.18.0.2 (externalTrafficPolicy Cluster)
            * [kubeplay] 4. kind-worker: KUBE-SVC-CG5I4G2RS3ZVWGLK picks KUBE-SEP-MDRJU7KIJOJSPIPQ (1 of 1)
            * [kubeplay] 5. kind-worker: KUBE-SEP-MDRJU7KIJOJSPIPQ DNAT 172.18.0.2:30080 -> 10.244.1.3:80
            * [kubeplay] 6. pod ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd on kind-worker answers on 10.244.1.3:80 (from 172.18.0.2:59260)
            * [kubeplay] ingress: ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd: Ingress default/site rule app.example.com Prefix /api -> Service api:http
            * [kubeplay] ingress: ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd: upstream default-api-http: endpoint 10.244.1.2:80 (round-robin over 1; kube-proxy is not involved)
            * [kubeplay] ingress: pod default/api-597d977459-ksmpd on kind-worker answers on 10.244.1.2:80 (from 10.244.1.3:42757)
            * Connected to app.example.com (172.18.0.2) port 30080
            > GET /api/users HTTP/1.1
            > Host: app.example.com:30080
            > User-Agent: curl/8.5.0
            > Accept: */*
            >
            < HTTP/1.1 200 OK
            < Date: Wed, 01 Jan 2025 00:00:00 GMT
            < Content-Length: 401
            < Connection: keep-alive
            < Content-Type: text/plain; charset=utf-8
            <
            Hostname: api-597d977459-ksmpd
            IP: 127.0.0.1
            IP: 10.244.1.2
            RemoteAddr: 10.244.1.3:42757
            GET /api/users HTTP/1.1
            Host: app.example.com:30080
            User-Agent: curl/8.5.0
            Accept: */*
            X-Forwarded-For: 172.18.0.2
            X-Forwarded-Host: app.example.com:30080
            X-Forwarded-Port: 30080
            X-Forwarded-Proto: http
            X-Forwarded-Scheme: http
            X-Real-Ip: 172.18.0.2
            X-Request-Id: f46f16c86d94400bfa753559c6f6bb3a
            X-Scheme: http
            $ curl --resolve app.example.com:30080:172.18.0.3 http://app.example.com:30080/down
            <html>
            <head><title>503 Service Temporarily Unavailable</title></head>
            <body>
            <center><h1>503 Service Temporarily Unavailable</h1></center>
            <hr><center>nginx</center>
            </body>
            </html>
            $ curl -H 'Host: nowhere.test' http://172.18.0.2:30080/
            <html>
            <head><title>404 Not Found</title></head>
            <body>
            <center><h1>404 Not Found</h1></center>
            <hr><center>nginx</center>
            </body>
            </html>
        "#]],
    );
}

#[test]
fn rule_8_1_classes_default_none_and_one_nobody_serves() {
    let m = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: plain}\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: traefik}\nspec:\n  ingressClassName: traefik\n  rules:\n  - host: other.example.com\n    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}]}\n";
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: format!("{APPS}{m}"),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let notes = s.notes().join("\n");
    assert!(
        notes.contains("Ingress default/traefik: IngressClass \"traefik\" does not exist: no controller serves it."),
        "{notes}"
    );
    expect![[r#"
        $ kubectl get ingress
        NAME      CLASS     HOSTS               ADDRESS      PORTS   AGE
        plain     nginx     *                   172.18.0.2   80      5s
        traefik   traefik   other.example.com                80      5s
        $ curl -H 'Host: other.example.com' http://172.18.0.2:30080/
        Hostname: web-5f9946ffdc-8jdrp
        IP: 127.0.0.1
        IP: 10.244.2.2
        RemoteAddr: 10.244.1.3:42757
        GET / HTTP/1.1
        Host: other.example.com
        User-Agent: curl/8.5.0
        Accept: */*
        X-Forwarded-For: 172.18.0.2
        X-Forwarded-Host: other.example.com
        X-Forwarded-Port: 30080
        X-Forwarded-Proto: http
        X-Forwarded-Scheme: http
        X-Real-Ip: 172.18.0.2
        X-Request-Id: f46f16c86d94400bfa753559c6f6bb3a
        X-Scheme: http
        $ kubectl describe ingress plain
        Name:             plain
        Namespace:        default
        Labels:           <none>
        Address:          172.18.0.2
        Ingress Class:    nginx
        Default backend:  web:80
        Rules:
          Host        Path  Backends
          ----        ----  --------
          *           *     web:80
        Annotations:      <none>
        Events:
          Type    Reason  Age   From                      Message
          ----    ------  ----  ----                      -------
          Normal  Sync    15s   nginx-ingress-controller  Scheduled for sync
    "#]]
    .assert_eq(&s.transcript(&[
        "kubectl get ingress",
        "curl -H 'Host: other.example.com' http://172.18.0.2:30080/",
        "kubectl describe ingress plain",
    ]));
}

#[test]
fn rule_8_3_tls_redirects_http_and_serves_https_with_its_certificate() {
    let m = "---\napiVersion: v1\nkind: Secret\nmetadata: {name: app-tls}\ntype: kubernetes.io/tls\ndata: {tls.crt: Y3J0, tls.key: a2V5}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: secure}\nspec:\n  tls: [{hosts: [secure.example.com], secretName: app-tls}, {hosts: [nosecret.example.com], secretName: missing}]\n  rules:\n  - host: secure.example.com\n    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}\n  - host: nosecret.example.com\n    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}\n";
    check(
        &format!("{APPS}{m}"),
        &[
            "curl -v --resolve secure.example.com:30080:172.18.0.2 http://secure.example.com:30080/login",
            "curl --resolve secure.example.com:30443:172.18.0.2 https://secure.example.com:30443/login",
            "curl -kv --resolve nosecret.example.com:30443:172.18.0.2 https://nosecret.example.com:30443/",
            "curl --resolve secure.example.com:30443:172.18.0.2 http://secure.example.com:30443/",
        ],
        expect![[r#"
            $ curl -v --resolve secure.example.com:30080:172.18.0.2 http://secure.example.com:30080/login
            *   Trying 172.18.0.2:30080...
            * [kubeplay] 1. client 172.18.0.1 (outside the cluster) connects to 172.18.0.2:30080
            * [kubeplay] 2. kind-worker: KUBE-NODEPORTS ingress-nginx/ingress-nginx-controller:http --dport 30080 -> KUBE-EXT-CG5I4G2RS3ZVWGLK
            * [kubeplay] 3. kind-worker: KUBE-MARK-MASQ: the source becomes 172.18.0.2 (externalTrafficPolicy Cluster)
            * [kubeplay] 4. kind-worker: KUBE-SVC-CG5I4G2RS3ZVWGLK picks KUBE-SEP-MDRJU7KIJOJSPIPQ (1 of 1)
            * [kubeplay] 5. kind-worker: KUBE-SEP-MDRJU7KIJOJSPIPQ DNAT 172.18.0.2:30080 -> 10.244.1.3:80
            * [kubeplay] 6. pod ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd on kind-worker answers on 10.244.1.3:80 (from 172.18.0.2:59260)
            * [kubeplay] ingress: ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd: host secure.example.com has TLS: plain HTTP is redirected (308, ssl-redirect)
            * Connected to secure.example.com (172.18.0.2) port 30080
            > GET /login HTTP/1.1
            > Host: secure.example.com:30080
            > User-Agent: curl/8.5.0
            > Accept: */*
            >
            < HTTP/1.1 308 Permanent Redirect
            < Date: Wed, 01 Jan 2025 00:00:00 GMT
            < Content-Type: text/html
            < Content-Length: 157
            < Connection: keep-alive
            < Location: https://secure.example.com/login
            <
            <html>
            <head><title>308 Permanent Redirect</title></head>
            <body>
            <center><h1>308 Permanent Redirect</h1></center>
            <hr><center>nginx</center>
            </body>
            </html>
            $ curl --resolve secure.example.com:30443:172.18.0.2 https://secure.example.com:30443/login
            curl: (60) SSL certificate problem: self-signed certificate
            More details here: https://curl.se/docs/sslcerts.html

            curl failed to verify the legitimacy of the server and therefore could not
            establish a secure connection to it. (kubeplay treats every certificate as self-signed: add -k)
            $ curl -kv --resolve nosecret.example.com:30443:172.18.0.2 https://nosecret.example.com:30443/
            *   Trying 172.18.0.2:30443...
            * [kubeplay] 1. client 172.18.0.1 (outside the cluster) connects to 172.18.0.2:30443
            * [kubeplay] 2. kind-worker: KUBE-NODEPORTS ingress-nginx/ingress-nginx-controller:https --dport 30443 -> KUBE-EXT-EDNDUDH2C75GIR6O
            * [kubeplay] 3. kind-worker: KUBE-MARK-MASQ: the source becomes 172.18.0.2 (externalTrafficPolicy Cluster)
            * [kubeplay] 4. kind-worker: KUBE-SVC-EDNDUDH2C75GIR6O picks KUBE-SEP-AD6VDFI2FCHL4BDF (1 of 1)
            * [kubeplay] 5. kind-worker: KUBE-SEP-AD6VDFI2FCHL4BDF DNAT 172.18.0.2:30443 -> 10.244.1.3:443
            * [kubeplay] 6. pod ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd on kind-worker answers on 10.244.1.3:443 (from 172.18.0.2:51231)
            * SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384
            * Server certificate:
            *  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate
            * [kubeplay] Secret default/missing does not exist: the controller's fake certificate
            * [kubeplay] ingress: ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd: Ingress default/secure rule nosecret.example.com Prefix / -> Service web:80
            * [kubeplay] ingress: ingress-nginx/ingress-nginx-controller-69bc89d4f6-wfqmd: upstream default-web-80: endpoint 10.244.2.2:80 (round-robin over 2; kube-proxy is not involved)
            * [kubeplay] ingress: pod default/web-5f9946ffdc-8jdrp on kind-worker2 answers on 10.244.2.2:80 (from 10.244.1.3:44996)
            * Connected to nosecret.example.com (172.18.0.2) port 30443
            > GET / HTTP/1.1
            > Host: nosecret.example.com:30443
            > User-Agent: curl/8.5.0
            > Accept: */*
            >
            < HTTP/1.1 200 OK
            < Date: Wed, 01 Jan 2025 00:00:00 GMT
            < Content-Length: 405
            < Connection: keep-alive
            < Content-Type: text/plain; charset=utf-8
            < Strict-Transport-Security: max-age=31536000; includeSubDomains
            <
            Hostname: web-5f9946ffdc-8jdrp
            IP: 127.0.0.1
            IP: 10.244.2.2
            RemoteAddr: 10.244.1.3:44996
            GET / HTTP/1.1
            Host: nosecret.example.com:30443
            User-Agent: curl/8.5.0
            Accept: */*
            X-Forwarded-For: 172.18.0.2
            X-Forwarded-Host: nosecret.example.com:30443
            X-Forwarded-Port: 30443
            X-Forwarded-Proto: https
            X-Forwarded-Scheme: https
            X-Real-Ip: 172.18.0.2
            X-Request-Id: 6f16c86d94400bfa753559c6f6bb3acb
            X-Scheme: https
            $ curl --resolve secure.example.com:30443:172.18.0.2 http://secure.example.com:30443/
            <html>
            <head><title>400 The plain HTTP request was sent to HTTPS port</title></head>
            <body>
            <center><h1>400 Bad Request</h1></center>
            <center>The plain HTTP request was sent to HTTPS port</center>
            <hr><center>nginx</center>
            </body>
            </html>
        "#]],
    );
}

#[test]
fn rule_8_3_the_controller_writes_an_nginx_configuration() {
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: format!("{APPS}{RULES}"),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let pod = s
        .run("kubectl get pods -n ingress-nginx -o name")
        .trim()
        .trim_start_matches("pod/")
        .to_string();
    expect![[r##"
        # Configuration generated by kubeplay's ingress-nginx (abridged: server and location blocks)

        http {
        	## start server *.example.com
        	server {
        		server_name *.example.com ;
        		listen 80 ;
        		listen 443 ssl ;
        		location / {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "api:http";
        			set $location_path  "/";
        			proxy_pass http://upstream_balancer;
        		}
        	}
        	## end server *.example.com

        	## start server app.example.com
        	server {
        		server_name app.example.com ;
        		listen 80 ;
        		listen 443 ssl ;
        		location /api/v2/ {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "web:80";
        			set $location_path  "/api/v2";
        			proxy_pass http://upstream_balancer;
        		}
        		location = /api/v2 {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "web:80";
        			set $location_path  "/api/v2";
        			proxy_pass http://upstream_balancer;
        		}
        		location /static {
        			set $namespace      "default";
        			set $ingress_name   "more";
        			set $service_name   "api:http";
        			set $location_path  "/static";
        			proxy_pass http://upstream_balancer;
        		}
        		location /down/ {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "empty:80";
        			set $location_path  "/down";
        			proxy_pass http://upstream_balancer;
        		}
        		location = /down {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "empty:80";
        			set $location_path  "/down";
        			proxy_pass http://upstream_balancer;
        		}
        		location = /foo {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "api:http";
        			set $location_path  "/foo";
        			proxy_pass http://upstream_balancer;
        		}
        		location /api/ {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "api:http";
        			set $location_path  "/api";
        			proxy_pass http://upstream_balancer;
        		}
        		location = /api {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "api:http";
        			set $location_path  "/api";
        			proxy_pass http://upstream_balancer;
        		}
        		location /foo/ {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "web:80";
        			set $location_path  "/foo";
        			proxy_pass http://upstream_balancer;
        		}
        		location / {
        			set $namespace      "default";
        			set $ingress_name   "site";
        			set $service_name   "web:80";
        			set $location_path  "/";
        			proxy_pass http://upstream_balancer;
        		}
        	}
        	## end server app.example.com

        	## start server _
        	server {
        		server_name _ ;
        		listen 80 ;
        		listen 443 ssl ;
        		location / {
        			# no rule: the default backend (404)
        			proxy_pass http://upstream_balancer;
        		}
        	}
        	## end server _

        }"##]]
    .assert_eq(&s.run(&format!(
        "kubectl exec -n ingress-nginx {pod} -- cat /etc/nginx/nginx.conf"
    )));
}

#[test]
fn rule_8_1_invalid_ingresses_are_refused_with_the_api_servers_words() {
    let m = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad}\nspec:\n  rules:\n  - host: \"foo.*.com\"\n    http:\n      paths:\n      - {path: api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n      - {path: /x, backend: {service: {name: web, port: {number: 80}}}}\n";
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: m.into(),
    }];
    let s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let messages: Vec<String> = s
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
        .collect();
    expect![[r#"
        6:11 The Ingress "bad" is invalid: spec.rules[0].host: Invalid value: "foo.*.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
        9:16 The Ingress "bad" is invalid: spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path
        10:9 The Ingress "bad" is invalid: spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified"#]].assert_eq(&messages.join("\n"));
}

#[test]
fn rule_8_3_annotations_work_or_warn_and_a_hosts_default_backend_catches_other_paths() {
    let m = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: annotated\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\n    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\n    nginx.ingress.kubernetes.io/use-regex: \"true\"\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n  tls: [{hosts: [shop.example.com]}]\n  rules:\n  - host: shop.example.com\n    http: {paths: [{path: /cart, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {containers: [{name: c, image: curlimages/curl}]}\n";
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: format!("{APPS}{m}"),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let notes = s.notes().join("\n");
    assert!(
        notes.contains("annotation nginx.ingress.kubernetes.io/use-regex: \"true\" is not simulated by kubeplay (paths are matched as plain prefixes, not regular expressions)"),
        "{notes}"
    );
    assert!(!notes.contains("rewrite-target"), "{notes}");
    let out = s.transcript(&[
        "kubectl exec client -- curl -H 'Host: shop.example.com' http://ingress-nginx-controller.ingress-nginx/cart/items",
        "why url http://shop.example.com/checkout",
    ]);
    // ssl-redirect "false": no 308; rewrite-target "/": the backend sees "/".
    assert!(
        out.contains("GET / HTTP/1.1\nHost: shop.example.com"),
        "{out}"
    );
    assert!(out.contains("Hostname: api-"), "{out}");
    assert!(
        out.contains("http://shop.example.com/checkout -> Ingress default/annotated (defaultBackend) -> Service web"),
        "{out}"
    );
}

#[test]
fn rule_8_2_the_ingress_example_routes_by_path() {
    let m = include_str!("../www/examples/ingress.yaml");
    let files = [kubeplay::engine::SourceFile {
        name: "ingress.yaml".into(),
        text: m.into(),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    assert!(!s.has_errors(), "{:?}", s.diagnostics);
    let cart = s
        .run("curl --resolve shop.example.com:30080:172.18.0.2 http://shop.example.com:30080/cart");
    assert!(cart.starts_with("Hostname: cart-"), "{cart}");
    let home = s.run(
        "curl --resolve shop.example.com:30080:172.18.0.2 http://shop.example.com:30080/cartoons",
    );
    assert!(home.starts_with("Hostname: storefront-"), "{home}");
}
