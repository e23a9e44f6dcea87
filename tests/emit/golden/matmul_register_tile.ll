; ModuleID = 'matmul_register_tile'
source_filename = "matmul_register_tile"

; Function Attrs: nounwind
define void @matmul_register_tile(i8** noalias %buffers) #0 {
entry:
  %tile = alloca <8 x float>, align 32
  %tile3 = alloca <8 x float>, align 32
  %tile6 = alloca <8 x float>, align 32
  %tile9 = alloca <8 x float>, align 32
  %tile12 = alloca <8 x float>, align 32
  %tile15 = alloca <8 x float>, align 32
  %tile18 = alloca <8 x float>, align 32
  %tile21 = alloca <8 x float>, align 32
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %a.raw = load i8*, i8** %0, align 8
  %a = bitcast i8* %a.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %b.raw = load i8*, i8** %1, align 8
  %b = bitcast i8* %b.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %c.raw = load i8*, i8** %2, align 8
  %c = bitcast i8* %c.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %n.o.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %n.o.exit ]
  %3 = icmp slt i64 %group0, 2
  br i1 %3, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %4 = mul i64 %group0, 4
  br label %n.o.head

group0.exit:                                      ; preds = %group0.head
  ret void

n.o.head:                                         ; preds = %k.exit, %group0.body
  %n.o = phi i64 [ 0, %group0.body ], [ %n.o.next, %k.exit ]
  %5 = icmp slt i64 %n.o, 2
  br i1 %5, label %n.o.body, label %n.o.exit

n.o.body:                                         ; preds = %n.o.head
  %6 = mul i64 %group0, 4
  %m = add i64 %6, 0
  %7 = mul i64 %n.o, 16
  %n = add i64 %7, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile, align 32
  %8 = mul i64 %group0, 4
  %m1 = add i64 %8, 0
  %9 = mul i64 %n.o, 16
  %n2 = add i64 %9, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile3, align 32
  %10 = mul i64 %group0, 4
  %m4 = add i64 %10, 1
  %11 = mul i64 %n.o, 16
  %n5 = add i64 %11, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile6, align 32
  %12 = mul i64 %group0, 4
  %m7 = add i64 %12, 1
  %13 = mul i64 %n.o, 16
  %n8 = add i64 %13, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile9, align 32
  %14 = mul i64 %group0, 4
  %m10 = add i64 %14, 2
  %15 = mul i64 %n.o, 16
  %n11 = add i64 %15, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile12, align 32
  %16 = mul i64 %group0, 4
  %m13 = add i64 %16, 2
  %17 = mul i64 %n.o, 16
  %n14 = add i64 %17, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile15, align 32
  %18 = mul i64 %group0, 4
  %m16 = add i64 %18, 3
  %19 = mul i64 %n.o, 16
  %n17 = add i64 %19, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile18, align 32
  %20 = mul i64 %group0, 4
  %m19 = add i64 %20, 3
  %21 = mul i64 %n.o, 16
  %n20 = add i64 %21, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile21, align 32
  br label %k.head

n.o.exit:                                         ; preds = %n.o.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

k.head:                                           ; preds = %k.body, %n.o.body
  %k = phi i64 [ 0, %n.o.body ], [ %k.next, %k.body ]
  %22 = icmp slt i64 %k, 16
  br i1 %22, label %k.body, label %k.exit

k.body:                                           ; preds = %k.head
  %23 = mul i64 %group0, 4
  %m22 = add i64 %23, 0
  %24 = mul i64 %n.o, 16
  %n23 = add i64 %24, 0
  %25 = add nuw nsw i64 0, %k
  %26 = mul nuw nsw i64 %25, 32
  %27 = add nuw nsw i64 %26, %n23
  %28 = getelementptr inbounds float, float* %b, i64 %27
  %29 = bitcast float* %28 to <8 x float>*
  %30 = load <8 x float>, <8 x float>* %29, align 4, !alias.scope !0, !noalias !3
  %31 = add nuw nsw i64 0, %m22
  %32 = mul nuw nsw i64 %31, 16
  %33 = add nuw nsw i64 %32, %k
  %34 = getelementptr inbounds float, float* %a, i64 %33
  %35 = load float, float* %34, align 4, !alias.scope !9, !noalias !10
  %.splatinsert = insertelement <8 x float> poison, float %35, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %36 = fmul reassoc arcp contract <8 x float> %.splat, %30
  %37 = load <8 x float>, <8 x float>* %tile, align 32
  %38 = fadd reassoc arcp contract <8 x float> %37, %36
  store <8 x float> %38, <8 x float>* %tile, align 32
  %39 = mul i64 %group0, 4
  %m24 = add i64 %39, 0
  %40 = mul i64 %n.o, 16
  %n25 = add i64 %40, 8
  %41 = add nuw nsw i64 0, %k
  %42 = mul nuw nsw i64 %41, 32
  %43 = add nuw nsw i64 %42, %n25
  %44 = getelementptr inbounds float, float* %b, i64 %43
  %45 = bitcast float* %44 to <8 x float>*
  %46 = load <8 x float>, <8 x float>* %45, align 4, !alias.scope !0, !noalias !3
  %47 = add nuw nsw i64 0, %m24
  %48 = mul nuw nsw i64 %47, 16
  %49 = add nuw nsw i64 %48, %k
  %50 = getelementptr inbounds float, float* %a, i64 %49
  %51 = load float, float* %50, align 4, !alias.scope !9, !noalias !10
  %.splatinsert26 = insertelement <8 x float> poison, float %51, i32 0
  %.splat27 = shufflevector <8 x float> %.splatinsert26, <8 x float> poison, <8 x i32> zeroinitializer
  %52 = fmul reassoc arcp contract <8 x float> %.splat27, %46
  %53 = load <8 x float>, <8 x float>* %tile3, align 32
  %54 = fadd reassoc arcp contract <8 x float> %53, %52
  store <8 x float> %54, <8 x float>* %tile3, align 32
  %55 = mul i64 %group0, 4
  %m28 = add i64 %55, 1
  %56 = mul i64 %n.o, 16
  %n29 = add i64 %56, 0
  %57 = add nuw nsw i64 0, %k
  %58 = mul nuw nsw i64 %57, 32
  %59 = add nuw nsw i64 %58, %n29
  %60 = getelementptr inbounds float, float* %b, i64 %59
  %61 = bitcast float* %60 to <8 x float>*
  %62 = load <8 x float>, <8 x float>* %61, align 4, !alias.scope !0, !noalias !3
  %63 = add nuw nsw i64 0, %m28
  %64 = mul nuw nsw i64 %63, 16
  %65 = add nuw nsw i64 %64, %k
  %66 = getelementptr inbounds float, float* %a, i64 %65
  %67 = load float, float* %66, align 4, !alias.scope !9, !noalias !10
  %.splatinsert30 = insertelement <8 x float> poison, float %67, i32 0
  %.splat31 = shufflevector <8 x float> %.splatinsert30, <8 x float> poison, <8 x i32> zeroinitializer
  %68 = fmul reassoc arcp contract <8 x float> %.splat31, %62
  %69 = load <8 x float>, <8 x float>* %tile6, align 32
  %70 = fadd reassoc arcp contract <8 x float> %69, %68
  store <8 x float> %70, <8 x float>* %tile6, align 32
  %71 = mul i64 %group0, 4
  %m32 = add i64 %71, 1
  %72 = mul i64 %n.o, 16
  %n33 = add i64 %72, 8
  %73 = add nuw nsw i64 0, %k
  %74 = mul nuw nsw i64 %73, 32
  %75 = add nuw nsw i64 %74, %n33
  %76 = getelementptr inbounds float, float* %b, i64 %75
  %77 = bitcast float* %76 to <8 x float>*
  %78 = load <8 x float>, <8 x float>* %77, align 4, !alias.scope !0, !noalias !3
  %79 = add nuw nsw i64 0, %m32
  %80 = mul nuw nsw i64 %79, 16
  %81 = add nuw nsw i64 %80, %k
  %82 = getelementptr inbounds float, float* %a, i64 %81
  %83 = load float, float* %82, align 4, !alias.scope !9, !noalias !10
  %.splatinsert34 = insertelement <8 x float> poison, float %83, i32 0
  %.splat35 = shufflevector <8 x float> %.splatinsert34, <8 x float> poison, <8 x i32> zeroinitializer
  %84 = fmul reassoc arcp contract <8 x float> %.splat35, %78
  %85 = load <8 x float>, <8 x float>* %tile9, align 32
  %86 = fadd reassoc arcp contract <8 x float> %85, %84
  store <8 x float> %86, <8 x float>* %tile9, align 32
  %87 = mul i64 %group0, 4
  %m36 = add i64 %87, 2
  %88 = mul i64 %n.o, 16
  %n37 = add i64 %88, 0
  %89 = add nuw nsw i64 0, %k
  %90 = mul nuw nsw i64 %89, 32
  %91 = add nuw nsw i64 %90, %n37
  %92 = getelementptr inbounds float, float* %b, i64 %91
  %93 = bitcast float* %92 to <8 x float>*
  %94 = load <8 x float>, <8 x float>* %93, align 4, !alias.scope !0, !noalias !3
  %95 = add nuw nsw i64 0, %m36
  %96 = mul nuw nsw i64 %95, 16
  %97 = add nuw nsw i64 %96, %k
  %98 = getelementptr inbounds float, float* %a, i64 %97
  %99 = load float, float* %98, align 4, !alias.scope !9, !noalias !10
  %.splatinsert38 = insertelement <8 x float> poison, float %99, i32 0
  %.splat39 = shufflevector <8 x float> %.splatinsert38, <8 x float> poison, <8 x i32> zeroinitializer
  %100 = fmul reassoc arcp contract <8 x float> %.splat39, %94
  %101 = load <8 x float>, <8 x float>* %tile12, align 32
  %102 = fadd reassoc arcp contract <8 x float> %101, %100
  store <8 x float> %102, <8 x float>* %tile12, align 32
  %103 = mul i64 %group0, 4
  %m40 = add i64 %103, 2
  %104 = mul i64 %n.o, 16
  %n41 = add i64 %104, 8
  %105 = add nuw nsw i64 0, %k
  %106 = mul nuw nsw i64 %105, 32
  %107 = add nuw nsw i64 %106, %n41
  %108 = getelementptr inbounds float, float* %b, i64 %107
  %109 = bitcast float* %108 to <8 x float>*
  %110 = load <8 x float>, <8 x float>* %109, align 4, !alias.scope !0, !noalias !3
  %111 = add nuw nsw i64 0, %m40
  %112 = mul nuw nsw i64 %111, 16
  %113 = add nuw nsw i64 %112, %k
  %114 = getelementptr inbounds float, float* %a, i64 %113
  %115 = load float, float* %114, align 4, !alias.scope !9, !noalias !10
  %.splatinsert42 = insertelement <8 x float> poison, float %115, i32 0
  %.splat43 = shufflevector <8 x float> %.splatinsert42, <8 x float> poison, <8 x i32> zeroinitializer
  %116 = fmul reassoc arcp contract <8 x float> %.splat43, %110
  %117 = load <8 x float>, <8 x float>* %tile15, align 32
  %118 = fadd reassoc arcp contract <8 x float> %117, %116
  store <8 x float> %118, <8 x float>* %tile15, align 32
  %119 = mul i64 %group0, 4
  %m44 = add i64 %119, 3
  %120 = mul i64 %n.o, 16
  %n45 = add i64 %120, 0
  %121 = add nuw nsw i64 0, %k
  %122 = mul nuw nsw i64 %121, 32
  %123 = add nuw nsw i64 %122, %n45
  %124 = getelementptr inbounds float, float* %b, i64 %123
  %125 = bitcast float* %124 to <8 x float>*
  %126 = load <8 x float>, <8 x float>* %125, align 4, !alias.scope !0, !noalias !3
  %127 = add nuw nsw i64 0, %m44
  %128 = mul nuw nsw i64 %127, 16
  %129 = add nuw nsw i64 %128, %k
  %130 = getelementptr inbounds float, float* %a, i64 %129
  %131 = load float, float* %130, align 4, !alias.scope !9, !noalias !10
  %.splatinsert46 = insertelement <8 x float> poison, float %131, i32 0
  %.splat47 = shufflevector <8 x float> %.splatinsert46, <8 x float> poison, <8 x i32> zeroinitializer
  %132 = fmul reassoc arcp contract <8 x float> %.splat47, %126
  %133 = load <8 x float>, <8 x float>* %tile18, align 32
  %134 = fadd reassoc arcp contract <8 x float> %133, %132
  store <8 x float> %134, <8 x float>* %tile18, align 32
  %135 = mul i64 %group0, 4
  %m48 = add i64 %135, 3
  %136 = mul i64 %n.o, 16
  %n49 = add i64 %136, 8
  %137 = add nuw nsw i64 0, %k
  %138 = mul nuw nsw i64 %137, 32
  %139 = add nuw nsw i64 %138, %n49
  %140 = getelementptr inbounds float, float* %b, i64 %139
  %141 = bitcast float* %140 to <8 x float>*
  %142 = load <8 x float>, <8 x float>* %141, align 4, !alias.scope !0, !noalias !3
  %143 = add nuw nsw i64 0, %m48
  %144 = mul nuw nsw i64 %143, 16
  %145 = add nuw nsw i64 %144, %k
  %146 = getelementptr inbounds float, float* %a, i64 %145
  %147 = load float, float* %146, align 4, !alias.scope !9, !noalias !10
  %.splatinsert50 = insertelement <8 x float> poison, float %147, i32 0
  %.splat51 = shufflevector <8 x float> %.splatinsert50, <8 x float> poison, <8 x i32> zeroinitializer
  %148 = fmul reassoc arcp contract <8 x float> %.splat51, %142
  %149 = load <8 x float>, <8 x float>* %tile21, align 32
  %150 = fadd reassoc arcp contract <8 x float> %149, %148
  store <8 x float> %150, <8 x float>* %tile21, align 32
  %k.next = add nuw nsw i64 %k, 1
  br label %k.head

k.exit:                                           ; preds = %k.head
  %151 = mul i64 %group0, 4
  %m52 = add i64 %151, 0
  %152 = mul i64 %n.o, 16
  %n53 = add i64 %152, 0
  %153 = load <8 x float>, <8 x float>* %tile, align 32
  %154 = add nuw nsw i64 0, %m52
  %155 = mul nuw nsw i64 %154, 32
  %156 = add nuw nsw i64 %155, %n53
  %157 = getelementptr inbounds float, float* %c, i64 %156
  %158 = bitcast float* %157 to <8 x float>*
  store <8 x float> %153, <8 x float>* %158, align 4, !alias.scope !11, !noalias !12
  %159 = mul i64 %group0, 4
  %m54 = add i64 %159, 0
  %160 = mul i64 %n.o, 16
  %n55 = add i64 %160, 8
  %161 = load <8 x float>, <8 x float>* %tile3, align 32
  %162 = add nuw nsw i64 0, %m54
  %163 = mul nuw nsw i64 %162, 32
  %164 = add nuw nsw i64 %163, %n55
  %165 = getelementptr inbounds float, float* %c, i64 %164
  %166 = bitcast float* %165 to <8 x float>*
  store <8 x float> %161, <8 x float>* %166, align 4, !alias.scope !11, !noalias !12
  %167 = mul i64 %group0, 4
  %m56 = add i64 %167, 1
  %168 = mul i64 %n.o, 16
  %n57 = add i64 %168, 0
  %169 = load <8 x float>, <8 x float>* %tile6, align 32
  %170 = add nuw nsw i64 0, %m56
  %171 = mul nuw nsw i64 %170, 32
  %172 = add nuw nsw i64 %171, %n57
  %173 = getelementptr inbounds float, float* %c, i64 %172
  %174 = bitcast float* %173 to <8 x float>*
  store <8 x float> %169, <8 x float>* %174, align 4, !alias.scope !11, !noalias !12
  %175 = mul i64 %group0, 4
  %m58 = add i64 %175, 1
  %176 = mul i64 %n.o, 16
  %n59 = add i64 %176, 8
  %177 = load <8 x float>, <8 x float>* %tile9, align 32
  %178 = add nuw nsw i64 0, %m58
  %179 = mul nuw nsw i64 %178, 32
  %180 = add nuw nsw i64 %179, %n59
  %181 = getelementptr inbounds float, float* %c, i64 %180
  %182 = bitcast float* %181 to <8 x float>*
  store <8 x float> %177, <8 x float>* %182, align 4, !alias.scope !11, !noalias !12
  %183 = mul i64 %group0, 4
  %m60 = add i64 %183, 2
  %184 = mul i64 %n.o, 16
  %n61 = add i64 %184, 0
  %185 = load <8 x float>, <8 x float>* %tile12, align 32
  %186 = add nuw nsw i64 0, %m60
  %187 = mul nuw nsw i64 %186, 32
  %188 = add nuw nsw i64 %187, %n61
  %189 = getelementptr inbounds float, float* %c, i64 %188
  %190 = bitcast float* %189 to <8 x float>*
  store <8 x float> %185, <8 x float>* %190, align 4, !alias.scope !11, !noalias !12
  %191 = mul i64 %group0, 4
  %m62 = add i64 %191, 2
  %192 = mul i64 %n.o, 16
  %n63 = add i64 %192, 8
  %193 = load <8 x float>, <8 x float>* %tile15, align 32
  %194 = add nuw nsw i64 0, %m62
  %195 = mul nuw nsw i64 %194, 32
  %196 = add nuw nsw i64 %195, %n63
  %197 = getelementptr inbounds float, float* %c, i64 %196
  %198 = bitcast float* %197 to <8 x float>*
  store <8 x float> %193, <8 x float>* %198, align 4, !alias.scope !11, !noalias !12
  %199 = mul i64 %group0, 4
  %m64 = add i64 %199, 3
  %200 = mul i64 %n.o, 16
  %n65 = add i64 %200, 0
  %201 = load <8 x float>, <8 x float>* %tile18, align 32
  %202 = add nuw nsw i64 0, %m64
  %203 = mul nuw nsw i64 %202, 32
  %204 = add nuw nsw i64 %203, %n65
  %205 = getelementptr inbounds float, float* %c, i64 %204
  %206 = bitcast float* %205 to <8 x float>*
  store <8 x float> %201, <8 x float>* %206, align 4, !alias.scope !11, !noalias !12
  %207 = mul i64 %group0, 4
  %m66 = add i64 %207, 3
  %208 = mul i64 %n.o, 16
  %n67 = add i64 %208, 8
  %209 = load <8 x float>, <8 x float>* %tile21, align 32
  %210 = add nuw nsw i64 0, %m66
  %211 = mul nuw nsw i64 %210, 32
  %212 = add nuw nsw i64 %211, %n67
  %213 = getelementptr inbounds float, float* %c, i64 %212
  %214 = bitcast float* %213 to <8 x float>*
  store <8 x float> %209, <8 x float>* %214, align 4, !alias.scope !11, !noalias !12
  %n.o.next = add nuw nsw i64 %n.o, 1
  br label %n.o.head
}

attributes #0 = { nounwind }

!0 = !{!1}
!1 = distinct !{!1, !2, !"b"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8}
!4 = distinct !{!4, !2, !"a"}
!5 = distinct !{!5, !2, !"a.pack"}
!6 = distinct !{!6, !2, !"b.pack"}
!7 = distinct !{!7, !2, !"c"}
!8 = distinct !{!8, !2, !"c.pack"}
!9 = !{!4}
!10 = !{!5, !1, !6, !7, !8}
!11 = !{!7}
!12 = !{!4, !5, !1, !6, !8}
