//! The page's text in English and Chinese (the source material is Chinese). The English
//! text is the key; Kubernetes terms (Pod, Service, PersistentVolumeClaim…) and command
//! output stay as Kubernetes and its tools write them. The language comes from the link,
//! else the browser, and the header switches it.

use leptos::prelude::*;

/// The language in use (`en` or `zh`), shared by every component.
#[derive(Clone, Copy)]
pub struct Lang(pub RwSignal<String>);

/// Makes the language available to the components below.
pub fn provide(lang: RwSignal<String>) {
    provide_context(Lang(lang));
}

/// The Chinese of an English UI text, if there is one.
pub fn zh(en: &str) -> Option<&'static str> {
    Some(match en {
        // header and page
        "Kubernetes storage & networking playground" => "Kubernetes 存储与网络实验场",
        "Lessons" => "课程",
        "Choose a lesson…" => "选择一节课…",
        "Open a lesson from the example gallery" => "从示例库打开一节课",
        "Share" => "分享",
        "Embed" => "嵌入",
        "Copy a link holding your manifests, commands and view" => "复制一个包含清单、命令和视图的链接",
        "Embed this state in a documentation page" => "把当前状态嵌入文档页面",
        "starting engine…" => "引擎启动中…",
        "engine ready" => "引擎就绪",
        "simulating…" => "模拟中…",
        "engine error: " => "引擎错误：",
        "Input" => "输入",
        "Cluster" => "集群",
        "Diagram" => "图示",
        "What to show" => "显示内容",
        "Language" => "语言",
        // banners and dialogs
        "This link could not be opened: " => "无法打开此链接：",
        ". Your own work is untouched." => "。你自己的内容没有被改动。",
        "Restore my last work" => "恢复我上次的内容",
        "The engine stopped and was restarted; your text is kept and the cluster was rebuilt without the request that stopped it." => "引擎停止后已重启；你的文本保留，集群已重建（不含导致停止的那个请求）。",
        "Copy report" => "复制报告",
        "Dismiss" => "关闭",
        "Link copied" => "链接已复制",
        "Copy this link" => "复制此链接",
        " characters" => " 个字符",
        "Close" => "关闭",
        "Embed this state" => "嵌入当前状态",
        "Show " => "显示 ",
        "HTML" => "HTML",
        "Markdown (MkDocs, Hugo)" => "Markdown（MkDocs、Hugo）",
        "Copy HTML" => "复制 HTML",
        "Copy Markdown" => "复制 Markdown",
        "Open in kubeplay ↗" => "在 kubeplay 中打开 ↗",
        // input panel
        "Problems " => "问题 ",
        "Objects " => "对象 ",
        "Waiting for the engine…" => "等待引擎…",
        "No problems: every document is valid." => "没有问题：每个文档都有效。",
        "Show this line in the editor" => "在编辑器中显示这一行",
        "Actions" => "操作",
        "How this simulation differs from a real cluster" => "此模拟与真实集群的区别",
        "Kubernetes manifests (YAML or JSON)" => "Kubernetes 清单（YAML 或 JSON）",
        "Tab indents · Esc then Tab leaves the editor" => "Tab 缩进 · 先按 Esc 再按 Tab 离开编辑器",
        // lesson panel
        "Check every step" => "检查每一步",
        "Run every step on a fresh cluster and check what it should show" => "在新集群上运行每一步并检查应有的结果",
        "Run" => "运行",
        "Run this command in the terminal" => "在终端中运行此命令",
        "Expected " => "期望 ",
        // cluster view
        "Kinds" => "类型",
        "The cluster one command earlier" => "上一条命令之前的集群",
        "The cluster one command later" => "下一条命令之后的集群",
        "describe" => "describe",
        "close" => "关闭",
        // diagram
        "Storage" => "存储",
        "Network" => "网络",
        "Zoom in" => "放大",
        "Zoom out" => "缩小",
        "Zoom in (+)" => "放大（+）",
        "Zoom out (−)" => "缩小（−）",
        "Fit" => "适应",
        "Fit to view (0)" => "适应窗口（0）",
        "Download as SVG" => "下载为 SVG",
        "Download as PNG" => "下载为 PNG",
        "Copy as Mermaid text (for docs)" => "复制为 Mermaid 文本（用于文档）",
        "Copied ✓" => "已复制 ✓",
        "Expand" => "展开",
        "Use the whole window (Escape returns)" => "使用整个窗口（Esc 返回）",
        "Text" => "文本",
        "The table the diagram is drawn from" => "绘制此图所依据的表格",
        "Send a request from outside: " => "从集群外发送请求：",
        "Send" => "发送",
        "The path is numbered on the diagram; repeat to see the spread over pods." => "路径在图中按顺序编号；重复发送可以看到请求在各 Pod 间的分布。",
        "From pod " => "从 Pod ",
        " look up " => " 查询 ",
        "Nodes are lanes; hover or focus a box for its story (why a claim is Pending, what a volume is)." => "每个节点一条泳道；悬停或聚焦方框可查看说明（PVC 为何 Pending、卷是什么）。",
        "Hover, click or Tab to a box or an arrow to read its story." => "悬停、点击或用 Tab 移到方框或箭头上，查看它的说明。",
        "Diagram: drag to pan, wheel or + and − to zoom, 0 to fit; Tab moves between boxes" => "图示：拖动平移，滚轮或 + − 缩放，0 适应窗口；Tab 在方框间移动",
        // what if
        "What if" => "假如",
        "Change one thing below (a storageClassName, a label, replicas, a readiness probe…); both clusters run the terminal's commands and the extra ones, and the difference is listed here and marked on the diagrams." => "在下面改一处（storageClassName、标签、副本数、就绪探针……）；两个集群都会运行终端里的命令和额外的命令，差异列在这里并在图示中标出。",
        "What if the manifests were:" => "假如清单是：",
        "Start from the editor's text" => "从编辑器的文本开始",
        "…and then these commands ran in both (one per line):" => "……然后两边都运行这些命令（每行一条）：",
        "Compare" => "比较",
        " mark the differences on the diagrams" => " 在图示中标出差异",
        // terminal
        "Terminal — try " => "终端 — 试试 ",
        " or " => " 或 ",
        "Terminal command" => "终端命令",
        _ => return None,
    })
}

/// A reactive text: the English, or its Chinese when the page is in Chinese.
pub fn t(en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_context::<Lang>().map(|l| l.0);
    move || match lang {
        Some(l) if l.get() == "zh" => zh(en).unwrap_or(en),
        _ => en,
    }
}
