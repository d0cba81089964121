import HTTP

/// The one stylesheet (CSP `style-src 'self'`: no inline styles). Patterns after the NL Design
/// System and GOV.UK: plain type, visible focus, tables with right-aligned numbers, a banner
/// for what needs attention. Colours meet WCAG 2.1 AA contrast (4.5:1 for text). Print: A4,
/// forms and navigation hidden, nothing wider than the page.
enum Stylesheet {
    static let file = "app.css"
    static let path = "/app/static/" + file

    static func response() -> HTTPResponse {
        var r = HTTPResponse(status: 200, body: Array(css.utf8))
        r.headers.set("Content-Type", "text/css; charset=utf-8")
        return r
    }

    static let css = """
    *,*::before,*::after{box-sizing:border-box}
    html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;font-size:100%;line-height:1.5;color:#1b1b1b;background:#fff;-webkit-text-size-adjust:100%}
    body{margin:0}
    .wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
    main.wrap{padding-bottom:3rem}
    a{color:#0b4f9c;text-underline-offset:2px}
    a:visited{color:#5b2a86}
    a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #ffbf47;outline-offset:1px;box-shadow:0 0 0 5px #1b1b1b}
    .skip{position:absolute;left:-9999px}
    .skip:focus{left:1rem;top:.5rem;background:#ffbf47;color:#1b1b1b;padding:.5rem 1rem;z-index:10}
    header.site{background:#154273;color:#fff;margin-bottom:1.5rem}
    header.site .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding-top:.6rem;padding-bottom:.6rem}
    header.site a.brand{color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto}
    header.site .who{font-size:.95rem}
    header.site form{margin:0}
    header.site button{background:#fff;color:#154273;border:2px solid #fff}
    h1{font-size:2rem;line-height:1.2;margin:.5rem 0 .75rem}
    h2{font-size:1.5rem;line-height:1.25;margin:2.25rem 0 .75rem;padding-top:.5rem;border-top:2px solid #d0d7de}
    h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
    p{margin:.5rem 0;max-width:48rem}
    .lead{font-size:1.1rem}
    .muted{color:#4a4a4a}
    ul.plain{list-style:none;padding:0}
    ul.plain li{margin:.35rem 0}
    button,.button{font:inherit;font-weight:600;background:#154273;color:#fff;border:2px solid #154273;border-radius:4px;padding:.4rem 1rem;cursor:pointer}
    button:hover{background:#0e2d50}
    header.site button:hover{background:#e8eef5}
    label{display:block;font-weight:600;margin-bottom:.25rem}
    .hint{font-weight:400;color:#4a4a4a;display:block}
    input[type=text],input[type=password],input[type=date],input[type=time],input[type=number],select{font:inherit;padding:.35rem .5rem;border:2px solid #1b1b1b;border-radius:3px;max-width:100%;background:#fff;color:#1b1b1b}
    input[type=password],input[type=text].wide{width:32rem}
    .field{margin:0 0 1rem}
    .field.invalid{border-left:5px solid #b3261e;padding-left:.75rem}
    .field-error{color:#b3261e;font-weight:700;margin:.25rem 0}
    .error-summary{border:4px solid #b3261e;padding:.75rem 1rem;margin:1rem 0}
    .error-summary h2{border:0;margin:0 0 .5rem;padding:0;font-size:1.25rem}
    .notice{border-left:6px solid #154273;background:#eef3f8;padding:.75rem 1rem;margin:1rem 0;max-width:48rem}
    .notice.ok{border-color:#1d6b37;background:#edf7f0}
    .grid{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:flex-end;margin:0 0 1rem}
    .grid .field{margin:0}
    fieldset{border:0;padding:0;margin:0 0 1rem}
    legend{font-weight:700;font-size:1.15rem;margin-bottom:.5rem}
    table{border-collapse:collapse;width:100%;margin:.5rem 0 1.25rem;font-variant-numeric:tabular-nums}
    caption{text-align:left;font-weight:700;padding:.25rem 0 .5rem;font-size:1.05rem}
    th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid #b1b4b6;overflow-wrap:break-word}
    thead th.num{white-space:normal}
    tbody th{min-width:9rem}
    table.trend{max-width:40rem}
    thead th{border-bottom:2px solid #1b1b1b}
    th.num,td.num{text-align:right;white-space:nowrap}
    td.meaning{color:#333;font-size:.95rem}
    ol.alerts{list-style:none;padding:0;margin:0}
    ol.alerts>li{border:1px solid #b1b4b6;border-left:8px solid #6f777b;padding:.75rem 1rem;margin:0 0 1rem}
    ol.alerts>li.sev-3{border-left-color:#b3261e}
    ol.alerts>li.sev-2{border-left-color:#b35900}
    ol.alerts>li.sev-1{border-left-color:#154273}
    ol.alerts h4{margin:0 0 .25rem;font-size:1.2rem}
    ol.alerts>li.alert h3{margin-top:0}
    nav.contents ul{list-style:none;padding:0;margin:.5rem 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
    h5{font-size:1.05rem;margin:0}
    ul.signals{list-style:none;padding:0;margin:.25rem 0 0}
    ul.signals>li{border-top:1px solid #d0d7de;padding:.5rem 0 .25rem}

    .successors{background:#f3f6f9;border-left:4px solid #154273;padding:.4rem .75rem;margin:.5rem 0}
    .successors ol{margin:.25rem 0;padding-left:1.5rem}
    .visually-hidden{position:absolute !important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    .tag{display:inline-block;font-size:.85rem;font-weight:700;padding:.05rem .5rem;border-radius:3px;border:2px solid currentColor;margin-right:.5rem;vertical-align:.1em}
    .tag.sev-3{color:#b3261e}
    .tag.sev-2{color:#8a4500}
    .tag.sev-1{color:#154273}
    .evidence{font-size:1.05rem}
    .meta{color:#4a4a4a;font-size:.95rem}
    .ack{background:#edf7f0;border-left:4px solid #1d6b37;padding:.35rem .75rem;margin:.5rem 0}
    details.ack-form{margin:.5rem 0 0}
    details.ack-form summary{display:inline-block;padding:.2rem 0}
    form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.5rem 0 0}
    form.inline .field{margin:0;flex:1 1 16rem}
    form.inline input[type=text]{width:100%}
    .flags{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.25rem}
    .flags li{font-size:.85rem;border:1px solid #6f777b;border-radius:3px;padding:0 .4rem}
    .none{color:#4a4a4a}
    dl.summary{display:grid;grid-template-columns:minmax(10rem,16rem) 1fr;gap:0;margin:.5rem 0 1rem;max-width:48rem}
    dl.summary dt,dl.summary dd{margin:0;padding:.4rem .5rem;border-bottom:1px solid #b1b4b6}
    dl.summary dt{font-weight:700}
    figure{margin:1rem 0}
    figcaption{font-weight:700;margin-bottom:.25rem}
    svg.chart{width:100%;height:auto;max-width:46rem;display:block}
    svg.timeline{width:100%;height:auto;display:block}
    svg text{font-family:inherit}
    .legend{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;padding:0;margin:.5rem 0;font-size:.95rem}
    .legend svg{vertical-align:middle;margin-right:.3rem}
    details{margin:.5rem 0 1rem}
    summary{cursor:pointer;font-weight:600;color:#0b4f9c}
    @media (max-width:40rem){
      dl.summary{grid-template-columns:1fr}
      dl.summary dt{border-bottom:0;padding-bottom:0}
      input[type=password],input[type=text].wide{width:100%}
    }
    @media print{
      @page{size:A4;margin:14mm 12mm}
      html{font-size:10pt}
      header.site{background:none;color:#000;border-bottom:1px solid #000;margin-bottom:.5rem}
      header.site a.brand{color:#000}
      header.site form,form,.skip,.noprint{display:none !important}
      .wrap{max-width:none;padding:0}
      a{color:#000;text-decoration:none}
      h2{break-after:avoid}
      tr,figure,dl.summary,ul.signals>li,.successors,ol.alerts>li.alert{break-inside:avoid}
      h3,h4,h5,caption,figcaption{break-after:avoid}
      details.print-open::details-content{content-visibility:visible;display:block}
      details.print-open>summary{list-style:none}
      svg.chart,svg.timeline{max-width:100%}
    }
    """
}
