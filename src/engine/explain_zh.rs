//! The explainers (`why pvc`, `why url`, `why name`) in Chinese: their English sentences
//! are written once, in the code that decides them; this maps each sentence template to
//! its Chinese, line by line, keeping the names, numbers and Kubernetes terms it carries.
//! Table headers and tool output inside stay as the tools print them. A sentence with no
//! Chinese here stays English (a test runs every gallery explainer and checks none does).

use regex_lite::{Captures, Regex};
use std::sync::OnceLock;

type Render = fn(&Captures) -> String;
type Rule = (Regex, Render);
type Rules = Vec<(&'static str, Render)>;

fn rules(list: &'static OnceLock<Vec<Rule>>, make: fn() -> Rules) -> &'static [Rule] {
    list.get_or_init(|| {
        make()
            .into_iter()
            .map(|(re, f)| (Regex::new(re).expect("a valid pattern"), f))
            .collect()
    })
}

fn first(rules: &[Rule], text: &str) -> Option<String> {
    rules
        .iter()
        .find_map(|(re, f)| re.captures(text).map(|c| f(&c)))
}

/// Why a PersistentVolume does not fit a claim (the binder's reasons).
fn reason(text: &str) -> String {
    static R: OnceLock<Vec<Rule>> = OnceLock::new();
    let rules = rules(&R, || {
        vec![
            (
                r"^its claimRef still holds the uid of an earlier claim (\S+) \(phase (\S+)\): an administrator must clear spec\.claimRef to reuse it$",
                |c| {
                    format!("它的 claimRef 仍保留着先前 PVC {} 的 uid（阶段 {}）：需要管理员清除 spec.claimRef 才能重用", &c[1], &c[2])
                },
            ),
            (r"^it is bound to another claim \((\S+)\)$", |c| {
                format!("它已绑定到另一个 PVC（{}）", &c[1])
            }),
            (
                r"^its capacity (\S+) is smaller than the (\S+) requested$",
                |c| format!("它的容量 {} 小于申请的 {}", &c[1], &c[2]),
            ),
            (
                r"^its volumeMode is (\S+), the claim asks for (\S+)$",
                |c| format!("它的 volumeMode 是 {}，而 PVC 要求 {}", &c[1], &c[2]),
            ),
            (r"^it is being deleted$", |_| "它正在被删除".into()),
            (
                r"^its access modes \((.*)\) do not include the claim's \((.*)\)$",
                |c| format!("它的访问模式（{}）不包含 PVC 要求的（{}）", &c[1], &c[2]),
            ),
            (r"^its phase is (\S+)$", |c| format!("它的阶段是 {}", &c[1])),
            (r"^its labels do not match the claim's selector$", |_| {
                "它的标签与 PVC 的 selector 不匹配".into()
            }),
            (
                r"^its storageClassName is (.+), the claim's is (.+)$",
                |c| {
                    format!(
                        "它的 storageClassName 是 {}，而 PVC 的是 {}",
                        none(&c[1]),
                        none(&c[2])
                    )
                },
            ),
            (r"^its node affinity does not allow node (\S+)$", |c| {
                format!("它的节点亲和性不允许节点 {}", &c[1])
            }),
        ]
    });
    first(rules, text).unwrap_or_else(|| text.to_string())
}

fn none(class: &str) -> String {
    class.replace("(none)", "（无）")
}

/// Why an Ingress rule did not take a request.
fn ingress_reason(text: &str) -> String {
    static R: OnceLock<Vec<Rule>> = OnceLock::new();
    let rules = rules(&R, || {
        vec![
            (
                r"^the request has host (\S+), which has its own rules$",
                |c| format!("请求的主机是 {}，它有自己的规则", &c[1]),
            ),
            (
                r"^an exact rule for (\S+) takes precedence over (\S+)$",
                |c| format!("{} 的精确规则优先于 {}", &c[1], &c[2]),
            ),
            (r"^host (\S+) does not match (\S+)$", |c| {
                format!("主机 {} 与 {} 不匹配", &c[1], &c[2])
            }),
            (r"^Exact (\S+) is not (\S+)$", |c| {
                format!("Exact {} 不是 {}", &c[1], &c[2])
            }),
            (
                r"^Prefix (\S+) does not cover (\S+) \(elements compare whole, split on /\)$",
                |c| format!("Prefix {} 不覆盖 {}（按 / 分段，整段比较）", &c[1], &c[2]),
            ),
            (r"^(\S+) does not start with (\S+)$", |c| {
                format!("{} 不以 {} 开头", &c[1], &c[2])
            }),
            (
                r"^matches too, but (\S+) (\S+) is (?:longer|preferred) \(longest path wins, Exact before Prefix\)$",
                |c| {
                    format!(
                        "也匹配，但 {} {} 更优（最长路径优先，Exact 优先于 Prefix）",
                        &c[1], &c[2]
                    )
                },
            ),
            (r"^no ingress controller is installed$", |_| {
                "没有安装 Ingress 控制器".into()
            }),
            (r"^the backend names nothing$", |_| {
                "后端没有指向任何对象".into()
            }),
            (r"^no rule matches (.+)$", |c| {
                format!("没有规则匹配 {}", &c[1])
            }),
        ]
    });
    first(rules, text).unwrap_or_else(|| text.to_string())
}

/// One line of an explainer.
fn line(text: &str) -> String {
    static R: OnceLock<Vec<Rule>> = OnceLock::new();
    let rules = rules(&R, || {
        vec![
            // why pvc
            (r"^Terminating: it is being deleted\.$", |_| {
                "Terminating：它正在被删除。".into()
            }),
            (
                r"^Terminating: pod\(s\) (.+) still use it, and the kubernetes\.io/pvc-protection finalizer keeps it until they are gone\.$",
                |c| {
                    format!("Terminating：Pod {} 仍在使用它，kubernetes.io/pvc-protection finalizer 会保留它，直到这些 Pod 消失。", &c[1])
                },
            ),
            (r"^Bound to PersistentVolume (\S+)\.$", |c| {
                format!("已绑定到 PersistentVolume {}。", &c[1])
            }),
            (
                r"^Lost: its PersistentVolume (\S+) is gone; the data on it is lost\.$",
                |c| {
                    format!(
                        "Lost：它的 PersistentVolume {} 已不存在；其中的数据已丢失。",
                        &c[1]
                    )
                },
            ),
            (
                r"^Pending: spec\.volumeName asks for PersistentVolume (\S+), which does not exist; the claim waits for it\.$",
                |c| {
                    format!("Pending：spec.volumeName 指定的 PersistentVolume {} 不存在；PVC 会一直等待它。", &c[1])
                },
            ),
            (
                r"^Pending: spec\.volumeName asks for PersistentVolume (\S+), but (.+)\.$",
                |c| {
                    format!(
                        "Pending：spec.volumeName 指定了 PersistentVolume {}，但{}。",
                        &c[1],
                        reason(&c[2])
                    )
                },
            ),
            (
                r"^Pending: PersistentVolume (\S+) fits and is being bound\.$",
                |c| format!("Pending：PersistentVolume {} 合适，正在绑定。", &c[1]),
            ),
            (
                r#"^Pending: storageClassName is "" \(or no default class exists\), so nothing is provisioned; only a PersistentVolume without a class can bind, and none fits\.$"#,
                |_| {
                    "Pending：storageClassName 为 \"\"（或没有默认 StorageClass），所以不会动态供应；只有没有 class 的 PersistentVolume 能绑定，而没有一个合适。".into()
                },
            ),
            (
                r#"^Pending: StorageClass "(.+)" does not exist, so nothing can provision the claim, and no PersistentVolume of that class fits\.$"#,
                |c| {
                    format!("Pending：StorageClass \"{}\" 不存在，没有谁能为这个 PVC 供应卷，也没有该 class 的 PersistentVolume 合适。", &c[1])
                },
            ),
            (
                r#"^Pending, as designed: StorageClass "(.+)" binds WaitForFirstConsumer, so the claim waits until a pod that uses it is scheduled \(no pod uses it yet\)\.$"#,
                |c| {
                    format!("Pending，这是设计如此：StorageClass \"{}\" 的绑定模式是 WaitForFirstConsumer，PVC 会等到使用它的 Pod 被调度（目前还没有 Pod 使用它）。", &c[1])
                },
            ),
            (
                r#"^Pending: StorageClass "(.+)" binds WaitForFirstConsumer and pod\(s\) (.+) using it are not scheduled yet \(see their FailedScheduling events\)\.$"#,
                |c| {
                    format!("Pending：StorageClass \"{}\" 的绑定模式是 WaitForFirstConsumer，而使用它的 Pod {} 还没有被调度（见它们的 FailedScheduling 事件）。", &c[1], &c[2])
                },
            ),
            (
                r#"^Pending: StorageClass "(.+)" has no provisioner \(kubernetes\.io/no-provisioner\): an administrator must create a matching PersistentVolume, and none fits\.$"#,
                |c| {
                    format!("Pending：StorageClass \"{}\" 没有供应者（kubernetes.io/no-provisioner）：需要管理员创建匹配的 PersistentVolume，而目前没有一个合适。", &c[1])
                },
            ),
            (
                r#"^Pending: StorageClass "(.+)" asks (\S+) to provision a volume; see the claim's ProvisioningFailed events for why it did not\.$"#,
                |c| {
                    format!("Pending：StorageClass \"{}\" 请 {} 供应卷；它为何没有成功，见 PVC 的 ProvisioningFailed 事件。", &c[1], &c[2])
                },
            ),
            (r"^PersistentVolumes considered: none exist\.$", |_| {
                "考察过的 PersistentVolume：一个也没有。".into()
            }),
            (r"^PersistentVolumes considered:$", |_| {
                "考察过的 PersistentVolume：".into()
            }),
            (r"^  ✓ (\S+): fits$", |c| format!("  ✓ {}：合适", &c[1])),
            (r"^  ✗ (\S+): (.+)$", |c| {
                format!("  ✗ {}：{}", &c[1], reason(&c[2]))
            }),
            // why name
            (
                r"^(\S+) has (\d+) dot\(s\); ndots is (\d+)( \(musl\))?: (.+)$",
                |c| {
                    let how = match &c[5] {
                        "the trailing dot makes it absolute, so it is asked as is, once." => {
                            "末尾的点使它成为绝对名称，只按原样查询一次。"
                        }
                        "it is asked as is first, then with each search domain." => {
                            "先按原样查询，再依次加上每个搜索域。"
                        }
                        "each search domain is tried first, then the name as is." => {
                            "先依次尝试每个搜索域，最后按原样查询。"
                        }
                        other => {
                            return format!(
                                "{} 有 {} 个点；ndots 是 {}{}：{other}",
                                &c[1],
                                &c[2],
                                &c[3],
                                c.get(4).map_or("", |m| m.as_str())
                            )
                        }
                    };
                    format!(
                        "{} 有 {} 个点；ndots 是 {}{}：{how}",
                        &c[1],
                        &c[2],
                        &c[3],
                        c.get(4).map_or("", |_| "（musl）")
                    )
                },
            ),
            (r"^The pod has no nameserver: nothing is asked\.$", |_| {
                "这个 Pod 没有 nameserver：不会发出查询。".into()
            }),
            (r"^Resolved after (\d+) quer(?:y|ies)\.$", |c| {
                format!("{} 次查询后解析成功。", &c[1])
            }),
            (r"^Not found after (\d+) quer(?:y|ies)\.$", |c| {
                format!("{} 次查询后仍未找到。", &c[1])
            }),
            // why url
            (
                r"^(\S+) -> Ingress (\S+) \((.+)\) -> Service (\S+), path rewritten to (\S+)$",
                |c| {
                    format!(
                        "{} -> Ingress {}（{}）-> Service {}，路径改写为 {}",
                        &c[1], &c[2], &c[3], &c[4], &c[5]
                    )
                },
            ),
            (r"^(\S+) -> Ingress (\S+) \((.+)\) -> Service (\S+)$", |c| {
                format!(
                    "{} -> Ingress {}（{}）-> Service {}",
                    &c[1], &c[2], &c[3], &c[4]
                )
            }),
            (
                r"^(\S+) -> 308 Permanent Redirect to (\S+) \(the host has TLS\)$",
                |c| {
                    format!(
                        "{} -> 308 Permanent Redirect 到 {}（该主机配置了 TLS）",
                        &c[1], &c[2]
                    )
                },
            ),
            (
                r"^(\S+) -> 404 from the controller's default backend: (.+)$",
                |c| {
                    format!(
                        "{} -> 控制器的默认后端返回 404：{}",
                        &c[1],
                        ingress_reason(&c[2])
                    )
                },
            ),
            (
                r"^(\S+) -> the resource backend (\S+), which kubeplay cannot route to$",
                |c| format!("{} -> 资源后端 {}，kubeplay 无法把流量发往它", &c[1], &c[2]),
            ),
            (r"^No Ingress rules are served\.$", |_| {
                "没有被服务的 Ingress 规则。".into()
            }),
            // the docs page
            (
                r"^See: Persistent Volumes — https://kubernetes\.io/docs/concepts/storage/persistent-volumes/$",
                |_| {
                    "参见：持久卷 — https://kubernetes.io/zh-cn/docs/concepts/storage/persistent-volumes/".into()
                },
            ),
            (
                r"^See: Ingress — https://kubernetes\.io/docs/concepts/services-networking/ingress/$",
                |_| {
                    "参见：Ingress — https://kubernetes.io/zh-cn/docs/concepts/services-networking/ingress/".into()
                },
            ),
            (
                r"^See: DNS for Services and Pods — https://kubernetes\.io/docs/concepts/services-networking/dns-pod-service/$",
                |_| {
                    "参见：Service 与 Pod 的 DNS — https://kubernetes.io/zh-cn/docs/concepts/services-networking/dns-pod-service/".into()
                },
            ),
        ]
    });
    if let Some(out) = first(rules, text) {
        return out;
    }
    // Inside tables (the last column) and query lists: the phrases only.
    let mut out = text.to_string();
    if let Some(at) = out.find("✗ ") {
        let (head, tail) = out.split_at(at + "✗ ".len());
        out = format!("{head}{}", ingress_reason(tail));
    }
    out.replace("✓ matched", "✓ 匹配")
        .replace("(its target does not resolve)", "（目标无法解析）")
        .replace(
            "NOERROR, no records (NODATA)",
            "NOERROR，没有记录（NODATA）",
        )
}

/// An explainer's whole answer in Chinese.
pub fn translate(text: &str) -> String {
    text.split('\n').map(line).collect::<Vec<_>>().join("\n")
}
