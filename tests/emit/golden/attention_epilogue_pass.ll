; ModuleID = 'attention_epilogue_pass'
source_filename = "attention_epilogue_pass"

; Function Attrs: nounwind
define void @attention_epilogue_pass(i8** noalias %buffers) #0 {
entry:
  %acc.j = alloca float, align 4
  %vred.j53 = alloca <8 x float>, align 32
  %vred.j = alloca <8 x float>, align 32
  %tile = alloca <8 x float>, align 32
  %tile5 = alloca <8 x float>, align 32
  %tile8 = alloca <8 x float>, align 32
  %tile11 = alloca <8 x float>, align 32
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %q.raw = load i8*, i8** %0, align 8
  %q = bitcast i8* %q.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %k.raw = load i8*, i8** %1, align 8
  %k = bitcast i8* %k.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %v.raw = load i8*, i8** %2, align 8
  %v = bitcast i8* %v.raw to float*
  %3 = getelementptr inbounds i8*, i8** %buffers, i64 3
  %s.raw = load i8*, i8** %3, align 8
  %s = bitcast i8* %s.raw to float*
  %4 = getelementptr inbounds i8*, i8** %buffers, i64 4
  %p.raw = load i8*, i8** %4, align 8
  %p = bitcast i8* %p.raw to float*
  %5 = getelementptr inbounds i8*, i8** %buffers, i64 5
  %p.mx.raw = load i8*, i8** %5, align 8
  %p.mx = bitcast i8* %p.mx.raw to float*
  %6 = getelementptr inbounds i8*, i8** %buffers, i64 6
  %p.e.raw = load i8*, i8** %6, align 8
  %p.e = bitcast i8* %p.e.raw to float*
  %7 = getelementptr inbounds i8*, i8** %buffers, i64 7
  %p.s.raw = load i8*, i8** %7, align 8
  %p.s = bitcast i8* %p.s.raw to float*
  %8 = getelementptr inbounds i8*, i8** %buffers, i64 8
  %o.raw = load i8*, i8** %8, align 8
  %o = bitcast i8* %o.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %i.exit36, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %i.exit36 ]
  %9 = icmp slt i64 %group0, 2
  br i1 %9, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %i.head

group0.exit:                                      ; preds = %group0.head
  br label %group1.head

i.head:                                           ; preds = %j.exit, %group0.body
  %i = phi i64 [ 0, %group0.body ], [ %i.next, %j.exit ]
  %10 = icmp slt i64 %i, 8
  br i1 %10, label %i.body, label %i.exit

i.body:                                           ; preds = %i.head
  br label %j.head

i.exit:                                           ; preds = %i.head
  br label %i.o.head

j.head:                                           ; preds = %j.body, %i.body
  %j = phi i64 [ 0, %i.body ], [ %j.next, %j.body ]
  %11 = icmp slt i64 %j, 8
  br i1 %11, label %j.body, label %j.exit

j.body:                                           ; preds = %j.head
  %12 = add nuw nsw i64 0, %group0
  %13 = mul nuw nsw i64 %12, 8
  %14 = add nuw nsw i64 %13, %i
  %15 = mul nuw nsw i64 %14, 8
  %16 = add nuw nsw i64 %15, %j
  %17 = getelementptr inbounds float, float* %s, i64 %16
  store float 0.000000e+00, float* %17, align 4, !alias.scope !0, !noalias !3
  %j.next = add nuw nsw i64 %j, 1
  br label %j.head, !llvm.loop !21

j.exit:                                           ; preds = %j.head
  %i.next = add nuw nsw i64 %i, 1
  br label %i.head

i.o.head:                                         ; preds = %j.o.exit, %i.exit
  %i.o = phi i64 [ 0, %i.exit ], [ %i.o.next, %j.o.exit ]
  %18 = icmp slt i64 %i.o, 2
  br i1 %18, label %i.o.body, label %i.o.exit

i.o.body:                                         ; preds = %i.o.head
  br label %j.o.head

i.o.exit:                                         ; preds = %i.o.head
  br label %i.head34

j.o.head:                                         ; preds = %d.o.exit, %i.o.body
  %j.o = phi i64 [ 0, %i.o.body ], [ %j.o.next, %d.o.exit ]
  %19 = icmp slt i64 %j.o, 1
  br i1 %19, label %j.o.body, label %j.o.exit

j.o.body:                                         ; preds = %j.o.head
  br label %d.o.head

j.o.exit:                                         ; preds = %j.o.head
  %i.o.next = add nuw nsw i64 %i.o, 1
  br label %i.o.head

d.o.head:                                         ; preds = %d.i.exit, %j.o.body
  %d.o = phi i64 [ 0, %j.o.body ], [ %d.o.next, %d.i.exit ]
  %20 = icmp slt i64 %d.o, 2
  br i1 %20, label %d.o.body, label %d.o.exit

d.o.body:                                         ; preds = %d.o.head
  %21 = mul i64 %i.o, 4
  %i1 = add i64 %21, 0
  %22 = mul i64 %j.o, 8
  %j2 = add i64 %22, 0
  %23 = add nuw nsw i64 0, %group0
  %24 = mul nuw nsw i64 %23, 8
  %25 = add nuw nsw i64 %24, %i1
  %26 = mul nuw nsw i64 %25, 8
  %27 = add nuw nsw i64 %26, %j2
  %28 = getelementptr inbounds float, float* %s, i64 %27
  %29 = bitcast float* %28 to <8 x float>*
  %30 = load <8 x float>, <8 x float>* %29, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %30, <8 x float>* %tile, align 32
  %31 = mul i64 %i.o, 4
  %i3 = add i64 %31, 1
  %32 = mul i64 %j.o, 8
  %j4 = add i64 %32, 0
  %33 = add nuw nsw i64 0, %group0
  %34 = mul nuw nsw i64 %33, 8
  %35 = add nuw nsw i64 %34, %i3
  %36 = mul nuw nsw i64 %35, 8
  %37 = add nuw nsw i64 %36, %j4
  %38 = getelementptr inbounds float, float* %s, i64 %37
  %39 = bitcast float* %38 to <8 x float>*
  %40 = load <8 x float>, <8 x float>* %39, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %40, <8 x float>* %tile5, align 32
  %41 = mul i64 %i.o, 4
  %i6 = add i64 %41, 2
  %42 = mul i64 %j.o, 8
  %j7 = add i64 %42, 0
  %43 = add nuw nsw i64 0, %group0
  %44 = mul nuw nsw i64 %43, 8
  %45 = add nuw nsw i64 %44, %i6
  %46 = mul nuw nsw i64 %45, 8
  %47 = add nuw nsw i64 %46, %j7
  %48 = getelementptr inbounds float, float* %s, i64 %47
  %49 = bitcast float* %48 to <8 x float>*
  %50 = load <8 x float>, <8 x float>* %49, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %50, <8 x float>* %tile8, align 32
  %51 = mul i64 %i.o, 4
  %i9 = add i64 %51, 3
  %52 = mul i64 %j.o, 8
  %j10 = add i64 %52, 0
  %53 = add nuw nsw i64 0, %group0
  %54 = mul nuw nsw i64 %53, 8
  %55 = add nuw nsw i64 %54, %i9
  %56 = mul nuw nsw i64 %55, 8
  %57 = add nuw nsw i64 %56, %j10
  %58 = getelementptr inbounds float, float* %s, i64 %57
  %59 = bitcast float* %58 to <8 x float>*
  %60 = load <8 x float>, <8 x float>* %59, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %60, <8 x float>* %tile11, align 32
  br label %d.i.head

d.o.exit:                                         ; preds = %d.o.head
  %j.o.next = add nuw nsw i64 %j.o, 1
  br label %j.o.head

d.i.head:                                         ; preds = %d.i.body, %d.o.body
  %d.i = phi i64 [ 0, %d.o.body ], [ %d.i.next, %d.i.body ]
  %61 = icmp slt i64 %d.i, 4
  br i1 %61, label %d.i.body, label %d.i.exit

d.i.body:                                         ; preds = %d.i.head
  %62 = mul i64 %d.o, 4
  %d = add i64 %62, %d.i
  %63 = mul i64 %i.o, 4
  %i12 = add i64 %63, 0
  %64 = mul i64 %j.o, 8
  %j13 = add i64 %64, 0
  %65 = add i64 %j13, 0
  %66 = add nuw nsw i64 0, %group0
  %67 = mul nuw nsw i64 %66, 8
  %68 = add nuw nsw i64 %67, %65
  %69 = mul nuw nsw i64 %68, 8
  %70 = add nuw nsw i64 %69, %d
  %71 = getelementptr inbounds float, float* %k, i64 %70
  %72 = load float, float* %71, align 4, !alias.scope !23, !noalias !24
  %73 = insertelement <8 x float> undef, float %72, i64 0
  %74 = add i64 %j13, 1
  %75 = add nuw nsw i64 0, %group0
  %76 = mul nuw nsw i64 %75, 8
  %77 = add nuw nsw i64 %76, %74
  %78 = mul nuw nsw i64 %77, 8
  %79 = add nuw nsw i64 %78, %d
  %80 = getelementptr inbounds float, float* %k, i64 %79
  %81 = load float, float* %80, align 4, !alias.scope !23, !noalias !24
  %82 = insertelement <8 x float> %73, float %81, i64 1
  %83 = add i64 %j13, 2
  %84 = add nuw nsw i64 0, %group0
  %85 = mul nuw nsw i64 %84, 8
  %86 = add nuw nsw i64 %85, %83
  %87 = mul nuw nsw i64 %86, 8
  %88 = add nuw nsw i64 %87, %d
  %89 = getelementptr inbounds float, float* %k, i64 %88
  %90 = load float, float* %89, align 4, !alias.scope !23, !noalias !24
  %91 = insertelement <8 x float> %82, float %90, i64 2
  %92 = add i64 %j13, 3
  %93 = add nuw nsw i64 0, %group0
  %94 = mul nuw nsw i64 %93, 8
  %95 = add nuw nsw i64 %94, %92
  %96 = mul nuw nsw i64 %95, 8
  %97 = add nuw nsw i64 %96, %d
  %98 = getelementptr inbounds float, float* %k, i64 %97
  %99 = load float, float* %98, align 4, !alias.scope !23, !noalias !24
  %100 = insertelement <8 x float> %91, float %99, i64 3
  %101 = add i64 %j13, 4
  %102 = add nuw nsw i64 0, %group0
  %103 = mul nuw nsw i64 %102, 8
  %104 = add nuw nsw i64 %103, %101
  %105 = mul nuw nsw i64 %104, 8
  %106 = add nuw nsw i64 %105, %d
  %107 = getelementptr inbounds float, float* %k, i64 %106
  %108 = load float, float* %107, align 4, !alias.scope !23, !noalias !24
  %109 = insertelement <8 x float> %100, float %108, i64 4
  %110 = add i64 %j13, 5
  %111 = add nuw nsw i64 0, %group0
  %112 = mul nuw nsw i64 %111, 8
  %113 = add nuw nsw i64 %112, %110
  %114 = mul nuw nsw i64 %113, 8
  %115 = add nuw nsw i64 %114, %d
  %116 = getelementptr inbounds float, float* %k, i64 %115
  %117 = load float, float* %116, align 4, !alias.scope !23, !noalias !24
  %118 = insertelement <8 x float> %109, float %117, i64 5
  %119 = add i64 %j13, 6
  %120 = add nuw nsw i64 0, %group0
  %121 = mul nuw nsw i64 %120, 8
  %122 = add nuw nsw i64 %121, %119
  %123 = mul nuw nsw i64 %122, 8
  %124 = add nuw nsw i64 %123, %d
  %125 = getelementptr inbounds float, float* %k, i64 %124
  %126 = load float, float* %125, align 4, !alias.scope !23, !noalias !24
  %127 = insertelement <8 x float> %118, float %126, i64 6
  %128 = add i64 %j13, 7
  %129 = add nuw nsw i64 0, %group0
  %130 = mul nuw nsw i64 %129, 8
  %131 = add nuw nsw i64 %130, %128
  %132 = mul nuw nsw i64 %131, 8
  %133 = add nuw nsw i64 %132, %d
  %134 = getelementptr inbounds float, float* %k, i64 %133
  %135 = load float, float* %134, align 4, !alias.scope !23, !noalias !24
  %136 = insertelement <8 x float> %127, float %135, i64 7
  %137 = add nuw nsw i64 0, %group0
  %138 = mul nuw nsw i64 %137, 8
  %139 = add nuw nsw i64 %138, %i12
  %140 = mul nuw nsw i64 %139, 8
  %141 = add nuw nsw i64 %140, %d
  %142 = getelementptr inbounds float, float* %q, i64 %141
  %143 = load float, float* %142, align 4, !alias.scope !25, !noalias !26
  %.splatinsert = insertelement <8 x float> poison, float %143, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %144 = fmul reassoc arcp contract <8 x float> %.splat, %136
  %145 = load <8 x float>, <8 x float>* %tile, align 32
  %146 = fadd reassoc arcp contract <8 x float> %145, %144
  store <8 x float> %146, <8 x float>* %tile, align 32
  %147 = mul i64 %i.o, 4
  %i14 = add i64 %147, 1
  %148 = mul i64 %j.o, 8
  %j15 = add i64 %148, 0
  %149 = add i64 %j15, 0
  %150 = add nuw nsw i64 0, %group0
  %151 = mul nuw nsw i64 %150, 8
  %152 = add nuw nsw i64 %151, %149
  %153 = mul nuw nsw i64 %152, 8
  %154 = add nuw nsw i64 %153, %d
  %155 = getelementptr inbounds float, float* %k, i64 %154
  %156 = load float, float* %155, align 4, !alias.scope !23, !noalias !24
  %157 = insertelement <8 x float> undef, float %156, i64 0
  %158 = add i64 %j15, 1
  %159 = add nuw nsw i64 0, %group0
  %160 = mul nuw nsw i64 %159, 8
  %161 = add nuw nsw i64 %160, %158
  %162 = mul nuw nsw i64 %161, 8
  %163 = add nuw nsw i64 %162, %d
  %164 = getelementptr inbounds float, float* %k, i64 %163
  %165 = load float, float* %164, align 4, !alias.scope !23, !noalias !24
  %166 = insertelement <8 x float> %157, float %165, i64 1
  %167 = add i64 %j15, 2
  %168 = add nuw nsw i64 0, %group0
  %169 = mul nuw nsw i64 %168, 8
  %170 = add nuw nsw i64 %169, %167
  %171 = mul nuw nsw i64 %170, 8
  %172 = add nuw nsw i64 %171, %d
  %173 = getelementptr inbounds float, float* %k, i64 %172
  %174 = load float, float* %173, align 4, !alias.scope !23, !noalias !24
  %175 = insertelement <8 x float> %166, float %174, i64 2
  %176 = add i64 %j15, 3
  %177 = add nuw nsw i64 0, %group0
  %178 = mul nuw nsw i64 %177, 8
  %179 = add nuw nsw i64 %178, %176
  %180 = mul nuw nsw i64 %179, 8
  %181 = add nuw nsw i64 %180, %d
  %182 = getelementptr inbounds float, float* %k, i64 %181
  %183 = load float, float* %182, align 4, !alias.scope !23, !noalias !24
  %184 = insertelement <8 x float> %175, float %183, i64 3
  %185 = add i64 %j15, 4
  %186 = add nuw nsw i64 0, %group0
  %187 = mul nuw nsw i64 %186, 8
  %188 = add nuw nsw i64 %187, %185
  %189 = mul nuw nsw i64 %188, 8
  %190 = add nuw nsw i64 %189, %d
  %191 = getelementptr inbounds float, float* %k, i64 %190
  %192 = load float, float* %191, align 4, !alias.scope !23, !noalias !24
  %193 = insertelement <8 x float> %184, float %192, i64 4
  %194 = add i64 %j15, 5
  %195 = add nuw nsw i64 0, %group0
  %196 = mul nuw nsw i64 %195, 8
  %197 = add nuw nsw i64 %196, %194
  %198 = mul nuw nsw i64 %197, 8
  %199 = add nuw nsw i64 %198, %d
  %200 = getelementptr inbounds float, float* %k, i64 %199
  %201 = load float, float* %200, align 4, !alias.scope !23, !noalias !24
  %202 = insertelement <8 x float> %193, float %201, i64 5
  %203 = add i64 %j15, 6
  %204 = add nuw nsw i64 0, %group0
  %205 = mul nuw nsw i64 %204, 8
  %206 = add nuw nsw i64 %205, %203
  %207 = mul nuw nsw i64 %206, 8
  %208 = add nuw nsw i64 %207, %d
  %209 = getelementptr inbounds float, float* %k, i64 %208
  %210 = load float, float* %209, align 4, !alias.scope !23, !noalias !24
  %211 = insertelement <8 x float> %202, float %210, i64 6
  %212 = add i64 %j15, 7
  %213 = add nuw nsw i64 0, %group0
  %214 = mul nuw nsw i64 %213, 8
  %215 = add nuw nsw i64 %214, %212
  %216 = mul nuw nsw i64 %215, 8
  %217 = add nuw nsw i64 %216, %d
  %218 = getelementptr inbounds float, float* %k, i64 %217
  %219 = load float, float* %218, align 4, !alias.scope !23, !noalias !24
  %220 = insertelement <8 x float> %211, float %219, i64 7
  %221 = add nuw nsw i64 0, %group0
  %222 = mul nuw nsw i64 %221, 8
  %223 = add nuw nsw i64 %222, %i14
  %224 = mul nuw nsw i64 %223, 8
  %225 = add nuw nsw i64 %224, %d
  %226 = getelementptr inbounds float, float* %q, i64 %225
  %227 = load float, float* %226, align 4, !alias.scope !25, !noalias !26
  %.splatinsert16 = insertelement <8 x float> poison, float %227, i32 0
  %.splat17 = shufflevector <8 x float> %.splatinsert16, <8 x float> poison, <8 x i32> zeroinitializer
  %228 = fmul reassoc arcp contract <8 x float> %.splat17, %220
  %229 = load <8 x float>, <8 x float>* %tile5, align 32
  %230 = fadd reassoc arcp contract <8 x float> %229, %228
  store <8 x float> %230, <8 x float>* %tile5, align 32
  %231 = mul i64 %i.o, 4
  %i18 = add i64 %231, 2
  %232 = mul i64 %j.o, 8
  %j19 = add i64 %232, 0
  %233 = add i64 %j19, 0
  %234 = add nuw nsw i64 0, %group0
  %235 = mul nuw nsw i64 %234, 8
  %236 = add nuw nsw i64 %235, %233
  %237 = mul nuw nsw i64 %236, 8
  %238 = add nuw nsw i64 %237, %d
  %239 = getelementptr inbounds float, float* %k, i64 %238
  %240 = load float, float* %239, align 4, !alias.scope !23, !noalias !24
  %241 = insertelement <8 x float> undef, float %240, i64 0
  %242 = add i64 %j19, 1
  %243 = add nuw nsw i64 0, %group0
  %244 = mul nuw nsw i64 %243, 8
  %245 = add nuw nsw i64 %244, %242
  %246 = mul nuw nsw i64 %245, 8
  %247 = add nuw nsw i64 %246, %d
  %248 = getelementptr inbounds float, float* %k, i64 %247
  %249 = load float, float* %248, align 4, !alias.scope !23, !noalias !24
  %250 = insertelement <8 x float> %241, float %249, i64 1
  %251 = add i64 %j19, 2
  %252 = add nuw nsw i64 0, %group0
  %253 = mul nuw nsw i64 %252, 8
  %254 = add nuw nsw i64 %253, %251
  %255 = mul nuw nsw i64 %254, 8
  %256 = add nuw nsw i64 %255, %d
  %257 = getelementptr inbounds float, float* %k, i64 %256
  %258 = load float, float* %257, align 4, !alias.scope !23, !noalias !24
  %259 = insertelement <8 x float> %250, float %258, i64 2
  %260 = add i64 %j19, 3
  %261 = add nuw nsw i64 0, %group0
  %262 = mul nuw nsw i64 %261, 8
  %263 = add nuw nsw i64 %262, %260
  %264 = mul nuw nsw i64 %263, 8
  %265 = add nuw nsw i64 %264, %d
  %266 = getelementptr inbounds float, float* %k, i64 %265
  %267 = load float, float* %266, align 4, !alias.scope !23, !noalias !24
  %268 = insertelement <8 x float> %259, float %267, i64 3
  %269 = add i64 %j19, 4
  %270 = add nuw nsw i64 0, %group0
  %271 = mul nuw nsw i64 %270, 8
  %272 = add nuw nsw i64 %271, %269
  %273 = mul nuw nsw i64 %272, 8
  %274 = add nuw nsw i64 %273, %d
  %275 = getelementptr inbounds float, float* %k, i64 %274
  %276 = load float, float* %275, align 4, !alias.scope !23, !noalias !24
  %277 = insertelement <8 x float> %268, float %276, i64 4
  %278 = add i64 %j19, 5
  %279 = add nuw nsw i64 0, %group0
  %280 = mul nuw nsw i64 %279, 8
  %281 = add nuw nsw i64 %280, %278
  %282 = mul nuw nsw i64 %281, 8
  %283 = add nuw nsw i64 %282, %d
  %284 = getelementptr inbounds float, float* %k, i64 %283
  %285 = load float, float* %284, align 4, !alias.scope !23, !noalias !24
  %286 = insertelement <8 x float> %277, float %285, i64 5
  %287 = add i64 %j19, 6
  %288 = add nuw nsw i64 0, %group0
  %289 = mul nuw nsw i64 %288, 8
  %290 = add nuw nsw i64 %289, %287
  %291 = mul nuw nsw i64 %290, 8
  %292 = add nuw nsw i64 %291, %d
  %293 = getelementptr inbounds float, float* %k, i64 %292
  %294 = load float, float* %293, align 4, !alias.scope !23, !noalias !24
  %295 = insertelement <8 x float> %286, float %294, i64 6
  %296 = add i64 %j19, 7
  %297 = add nuw nsw i64 0, %group0
  %298 = mul nuw nsw i64 %297, 8
  %299 = add nuw nsw i64 %298, %296
  %300 = mul nuw nsw i64 %299, 8
  %301 = add nuw nsw i64 %300, %d
  %302 = getelementptr inbounds float, float* %k, i64 %301
  %303 = load float, float* %302, align 4, !alias.scope !23, !noalias !24
  %304 = insertelement <8 x float> %295, float %303, i64 7
  %305 = add nuw nsw i64 0, %group0
  %306 = mul nuw nsw i64 %305, 8
  %307 = add nuw nsw i64 %306, %i18
  %308 = mul nuw nsw i64 %307, 8
  %309 = add nuw nsw i64 %308, %d
  %310 = getelementptr inbounds float, float* %q, i64 %309
  %311 = load float, float* %310, align 4, !alias.scope !25, !noalias !26
  %.splatinsert20 = insertelement <8 x float> poison, float %311, i32 0
  %.splat21 = shufflevector <8 x float> %.splatinsert20, <8 x float> poison, <8 x i32> zeroinitializer
  %312 = fmul reassoc arcp contract <8 x float> %.splat21, %304
  %313 = load <8 x float>, <8 x float>* %tile8, align 32
  %314 = fadd reassoc arcp contract <8 x float> %313, %312
  store <8 x float> %314, <8 x float>* %tile8, align 32
  %315 = mul i64 %i.o, 4
  %i22 = add i64 %315, 3
  %316 = mul i64 %j.o, 8
  %j23 = add i64 %316, 0
  %317 = add i64 %j23, 0
  %318 = add nuw nsw i64 0, %group0
  %319 = mul nuw nsw i64 %318, 8
  %320 = add nuw nsw i64 %319, %317
  %321 = mul nuw nsw i64 %320, 8
  %322 = add nuw nsw i64 %321, %d
  %323 = getelementptr inbounds float, float* %k, i64 %322
  %324 = load float, float* %323, align 4, !alias.scope !23, !noalias !24
  %325 = insertelement <8 x float> undef, float %324, i64 0
  %326 = add i64 %j23, 1
  %327 = add nuw nsw i64 0, %group0
  %328 = mul nuw nsw i64 %327, 8
  %329 = add nuw nsw i64 %328, %326
  %330 = mul nuw nsw i64 %329, 8
  %331 = add nuw nsw i64 %330, %d
  %332 = getelementptr inbounds float, float* %k, i64 %331
  %333 = load float, float* %332, align 4, !alias.scope !23, !noalias !24
  %334 = insertelement <8 x float> %325, float %333, i64 1
  %335 = add i64 %j23, 2
  %336 = add nuw nsw i64 0, %group0
  %337 = mul nuw nsw i64 %336, 8
  %338 = add nuw nsw i64 %337, %335
  %339 = mul nuw nsw i64 %338, 8
  %340 = add nuw nsw i64 %339, %d
  %341 = getelementptr inbounds float, float* %k, i64 %340
  %342 = load float, float* %341, align 4, !alias.scope !23, !noalias !24
  %343 = insertelement <8 x float> %334, float %342, i64 2
  %344 = add i64 %j23, 3
  %345 = add nuw nsw i64 0, %group0
  %346 = mul nuw nsw i64 %345, 8
  %347 = add nuw nsw i64 %346, %344
  %348 = mul nuw nsw i64 %347, 8
  %349 = add nuw nsw i64 %348, %d
  %350 = getelementptr inbounds float, float* %k, i64 %349
  %351 = load float, float* %350, align 4, !alias.scope !23, !noalias !24
  %352 = insertelement <8 x float> %343, float %351, i64 3
  %353 = add i64 %j23, 4
  %354 = add nuw nsw i64 0, %group0
  %355 = mul nuw nsw i64 %354, 8
  %356 = add nuw nsw i64 %355, %353
  %357 = mul nuw nsw i64 %356, 8
  %358 = add nuw nsw i64 %357, %d
  %359 = getelementptr inbounds float, float* %k, i64 %358
  %360 = load float, float* %359, align 4, !alias.scope !23, !noalias !24
  %361 = insertelement <8 x float> %352, float %360, i64 4
  %362 = add i64 %j23, 5
  %363 = add nuw nsw i64 0, %group0
  %364 = mul nuw nsw i64 %363, 8
  %365 = add nuw nsw i64 %364, %362
  %366 = mul nuw nsw i64 %365, 8
  %367 = add nuw nsw i64 %366, %d
  %368 = getelementptr inbounds float, float* %k, i64 %367
  %369 = load float, float* %368, align 4, !alias.scope !23, !noalias !24
  %370 = insertelement <8 x float> %361, float %369, i64 5
  %371 = add i64 %j23, 6
  %372 = add nuw nsw i64 0, %group0
  %373 = mul nuw nsw i64 %372, 8
  %374 = add nuw nsw i64 %373, %371
  %375 = mul nuw nsw i64 %374, 8
  %376 = add nuw nsw i64 %375, %d
  %377 = getelementptr inbounds float, float* %k, i64 %376
  %378 = load float, float* %377, align 4, !alias.scope !23, !noalias !24
  %379 = insertelement <8 x float> %370, float %378, i64 6
  %380 = add i64 %j23, 7
  %381 = add nuw nsw i64 0, %group0
  %382 = mul nuw nsw i64 %381, 8
  %383 = add nuw nsw i64 %382, %380
  %384 = mul nuw nsw i64 %383, 8
  %385 = add nuw nsw i64 %384, %d
  %386 = getelementptr inbounds float, float* %k, i64 %385
  %387 = load float, float* %386, align 4, !alias.scope !23, !noalias !24
  %388 = insertelement <8 x float> %379, float %387, i64 7
  %389 = add nuw nsw i64 0, %group0
  %390 = mul nuw nsw i64 %389, 8
  %391 = add nuw nsw i64 %390, %i22
  %392 = mul nuw nsw i64 %391, 8
  %393 = add nuw nsw i64 %392, %d
  %394 = getelementptr inbounds float, float* %q, i64 %393
  %395 = load float, float* %394, align 4, !alias.scope !25, !noalias !26
  %.splatinsert24 = insertelement <8 x float> poison, float %395, i32 0
  %.splat25 = shufflevector <8 x float> %.splatinsert24, <8 x float> poison, <8 x i32> zeroinitializer
  %396 = fmul reassoc arcp contract <8 x float> %.splat25, %388
  %397 = load <8 x float>, <8 x float>* %tile11, align 32
  %398 = fadd reassoc arcp contract <8 x float> %397, %396
  store <8 x float> %398, <8 x float>* %tile11, align 32
  %d.i.next = add nuw nsw i64 %d.i, 1
  br label %d.i.head

d.i.exit:                                         ; preds = %d.i.head
  %399 = mul i64 %i.o, 4
  %i26 = add i64 %399, 0
  %400 = mul i64 %j.o, 8
  %j27 = add i64 %400, 0
  %401 = load <8 x float>, <8 x float>* %tile, align 32
  %402 = add nuw nsw i64 0, %group0
  %403 = mul nuw nsw i64 %402, 8
  %404 = add nuw nsw i64 %403, %i26
  %405 = mul nuw nsw i64 %404, 8
  %406 = add nuw nsw i64 %405, %j27
  %407 = getelementptr inbounds float, float* %s, i64 %406
  %408 = bitcast float* %407 to <8 x float>*
  store <8 x float> %401, <8 x float>* %408, align 4, !alias.scope !0, !noalias !3
  %409 = mul i64 %i.o, 4
  %i28 = add i64 %409, 1
  %410 = mul i64 %j.o, 8
  %j29 = add i64 %410, 0
  %411 = load <8 x float>, <8 x float>* %tile5, align 32
  %412 = add nuw nsw i64 0, %group0
  %413 = mul nuw nsw i64 %412, 8
  %414 = add nuw nsw i64 %413, %i28
  %415 = mul nuw nsw i64 %414, 8
  %416 = add nuw nsw i64 %415, %j29
  %417 = getelementptr inbounds float, float* %s, i64 %416
  %418 = bitcast float* %417 to <8 x float>*
  store <8 x float> %411, <8 x float>* %418, align 4, !alias.scope !0, !noalias !3
  %419 = mul i64 %i.o, 4
  %i30 = add i64 %419, 2
  %420 = mul i64 %j.o, 8
  %j31 = add i64 %420, 0
  %421 = load <8 x float>, <8 x float>* %tile8, align 32
  %422 = add nuw nsw i64 0, %group0
  %423 = mul nuw nsw i64 %422, 8
  %424 = add nuw nsw i64 %423, %i30
  %425 = mul nuw nsw i64 %424, 8
  %426 = add nuw nsw i64 %425, %j31
  %427 = getelementptr inbounds float, float* %s, i64 %426
  %428 = bitcast float* %427 to <8 x float>*
  store <8 x float> %421, <8 x float>* %428, align 4, !alias.scope !0, !noalias !3
  %429 = mul i64 %i.o, 4
  %i32 = add i64 %429, 3
  %430 = mul i64 %j.o, 8
  %j33 = add i64 %430, 0
  %431 = load <8 x float>, <8 x float>* %tile11, align 32
  %432 = add nuw nsw i64 0, %group0
  %433 = mul nuw nsw i64 %432, 8
  %434 = add nuw nsw i64 %433, %i32
  %435 = mul nuw nsw i64 %434, 8
  %436 = add nuw nsw i64 %435, %j33
  %437 = getelementptr inbounds float, float* %s, i64 %436
  %438 = bitcast float* %437 to <8 x float>*
  store <8 x float> %431, <8 x float>* %438, align 4, !alias.scope !0, !noalias !3
  %d.o.next = add nuw nsw i64 %d.o, 1
  br label %d.o.head

i.head34:                                         ; preds = %j.exit40, %i.o.exit
  %i37 = phi i64 [ 0, %i.o.exit ], [ %i.next43, %j.exit40 ]
  %439 = icmp slt i64 %i37, 8
  br i1 %439, label %i.body35, label %i.exit36

i.body35:                                         ; preds = %i.head34
  br label %j.head38

i.exit36:                                         ; preds = %i.head34
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

j.head38:                                         ; preds = %j.body39, %i.body35
  %j41 = phi i64 [ 0, %i.body35 ], [ %j.next42, %j.body39 ]
  %440 = icmp slt i64 %j41, 8
  br i1 %440, label %j.body39, label %j.exit40

j.body39:                                         ; preds = %j.head38
  %441 = call reassoc arcp contract float @llvm.sqrt.f32(float 8.000000e+00)
  %442 = add nuw nsw i64 0, %group0
  %443 = mul nuw nsw i64 %442, 8
  %444 = add nuw nsw i64 %443, %i37
  %445 = mul nuw nsw i64 %444, 8
  %446 = add nuw nsw i64 %445, %j41
  %447 = getelementptr inbounds float, float* %s, i64 %446
  %448 = load float, float* %447, align 4, !alias.scope !0, !noalias !3
  %449 = fdiv reassoc arcp contract float %448, %441
  %450 = add nuw nsw i64 0, %group0
  %451 = mul nuw nsw i64 %450, 8
  %452 = add nuw nsw i64 %451, %i37
  %453 = mul nuw nsw i64 %452, 8
  %454 = add nuw nsw i64 %453, %j41
  %455 = getelementptr inbounds float, float* %s, i64 %454
  store float %449, float* %455, align 4, !alias.scope !0, !noalias !3
  %j.next42 = add nuw nsw i64 %j41, 1
  br label %j.head38, !llvm.loop !27

j.exit40:                                         ; preds = %j.head38
  %i.next43 = add nuw nsw i64 %i37, 1
  br label %i.head34

group1.head:                                      ; preds = %_b1.exit, %group0.exit
  %group1 = phi i64 [ 0, %group0.exit ], [ %group1.next, %_b1.exit ]
  %456 = icmp slt i64 %group1, 2
  br i1 %456, label %group1.body, label %group1.exit

group1.body:                                      ; preds = %group1.head
  br label %_b1.head

group1.exit:                                      ; preds = %group1.head
  br label %group2.head

_b1.head:                                         ; preds = %r.j.v.exit, %group1.body
  %_b1 = phi i64 [ 0, %group1.body ], [ %_b1.next, %r.j.v.exit ]
  %457 = icmp slt i64 %_b1, 8
  br i1 %457, label %_b1.body, label %_b1.exit

_b1.body:                                         ; preds = %_b1.head
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %vred.j, align 32
  br label %r.j.v.head

_b1.exit:                                         ; preds = %_b1.head
  %group1.next = add nuw nsw i64 %group1, 1
  br label %group1.head

r.j.v.head:                                       ; preds = %r.j.v.body, %_b1.body
  %r.j.v = phi i64 [ 0, %_b1.body ], [ %r.j.v.next, %r.j.v.body ]
  %458 = icmp slt i64 %r.j.v, 1
  br i1 %458, label %r.j.v.body, label %r.j.v.exit

r.j.v.body:                                       ; preds = %r.j.v.head
  %459 = mul i64 %r.j.v, 8
  %460 = add nuw nsw i64 0, %group1
  %461 = mul nuw nsw i64 %460, 8
  %462 = add nuw nsw i64 %461, %_b1
  %463 = mul nuw nsw i64 %462, 8
  %464 = add nuw nsw i64 %463, %459
  %465 = getelementptr inbounds float, float* %s, i64 %464
  %466 = bitcast float* %465 to <8 x float>*
  %467 = load <8 x float>, <8 x float>* %466, align 4, !alias.scope !0, !noalias !3
  %468 = load <8 x float>, <8 x float>* %vred.j, align 32
  %469 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %468, <8 x float> %467)
  store <8 x float> %469, <8 x float>* %vred.j, align 32
  %r.j.v.next = add nuw nsw i64 %r.j.v, 1
  br label %r.j.v.head

r.j.v.exit:                                       ; preds = %r.j.v.head
  %470 = load <8 x float>, <8 x float>* %vred.j, align 32
  %471 = call reassoc arcp contract float @llvm.vector.reduce.fmax.v8f32(<8 x float> %470)
  %472 = add nuw nsw i64 0, %group1
  %473 = mul nuw nsw i64 %472, 8
  %474 = add nuw nsw i64 %473, %_b1
  %475 = getelementptr inbounds float, float* %p.mx, i64 %474
  store float %471, float* %475, align 4, !alias.scope !28, !noalias !29
  %_b1.next = add nuw nsw i64 %_b1, 1
  br label %_b1.head

group2.head:                                      ; preds = %_b1.exit46, %group1.exit
  %group2 = phi i64 [ 0, %group1.exit ], [ %group2.next, %_b1.exit46 ]
  %476 = icmp slt i64 %group2, 2
  br i1 %476, label %group2.body, label %group2.exit

group2.body:                                      ; preds = %group2.head
  br label %_b1.head44

group2.exit:                                      ; preds = %group2.head
  br label %group3.head

_b1.head44:                                       ; preds = %n.exit, %group2.body
  %_b147 = phi i64 [ 0, %group2.body ], [ %_b1.next48, %n.exit ]
  %477 = icmp slt i64 %_b147, 8
  br i1 %477, label %_b1.body45, label %_b1.exit46

_b1.body45:                                       ; preds = %_b1.head44
  br label %n.head

_b1.exit46:                                       ; preds = %_b1.head44
  %group2.next = add nuw nsw i64 %group2, 1
  br label %group2.head

n.head:                                           ; preds = %n.body, %_b1.body45
  %n = phi i64 [ 0, %_b1.body45 ], [ %n.next, %n.body ]
  %478 = icmp slt i64 %n, 8
  br i1 %478, label %n.body, label %n.exit

n.body:                                           ; preds = %n.head
  %479 = add nuw nsw i64 0, %group2
  %480 = mul nuw nsw i64 %479, 8
  %481 = add nuw nsw i64 %480, %_b147
  %482 = getelementptr inbounds float, float* %p.mx, i64 %481
  %483 = load float, float* %482, align 4, !alias.scope !28, !noalias !29
  %484 = add nuw nsw i64 0, %group2
  %485 = mul nuw nsw i64 %484, 8
  %486 = add nuw nsw i64 %485, %_b147
  %487 = mul nuw nsw i64 %486, 8
  %488 = add nuw nsw i64 %487, %n
  %489 = getelementptr inbounds float, float* %s, i64 %488
  %490 = load float, float* %489, align 4, !alias.scope !0, !noalias !3
  %491 = fsub reassoc arcp contract float %490, %483
  %492 = call reassoc arcp contract float @expf(float %491)
  %493 = add nuw nsw i64 0, %group2
  %494 = mul nuw nsw i64 %493, 8
  %495 = add nuw nsw i64 %494, %_b147
  %496 = mul nuw nsw i64 %495, 8
  %497 = add nuw nsw i64 %496, %n
  %498 = getelementptr inbounds float, float* %p.e, i64 %497
  store float %492, float* %498, align 4, !alias.scope !30, !noalias !31
  %n.next = add nuw nsw i64 %n, 1
  br label %n.head

n.exit:                                           ; preds = %n.head
  %_b1.next48 = add nuw nsw i64 %_b147, 1
  br label %_b1.head44

group3.head:                                      ; preds = %_b1.exit51, %group2.exit
  %group3 = phi i64 [ 0, %group2.exit ], [ %group3.next, %_b1.exit51 ]
  %499 = icmp slt i64 %group3, 2
  br i1 %499, label %group3.body, label %group3.exit

group3.body:                                      ; preds = %group3.head
  br label %_b1.head49

group3.exit:                                      ; preds = %group3.head
  br label %group4.head

_b1.head49:                                       ; preds = %r.j.v.exit56, %group3.body
  %_b152 = phi i64 [ 0, %group3.body ], [ %_b1.next59, %r.j.v.exit56 ]
  %500 = icmp slt i64 %_b152, 8
  br i1 %500, label %_b1.body50, label %_b1.exit51

_b1.body50:                                       ; preds = %_b1.head49
  store <8 x float> zeroinitializer, <8 x float>* %vred.j53, align 32
  br label %r.j.v.head54

_b1.exit51:                                       ; preds = %_b1.head49
  %group3.next = add nuw nsw i64 %group3, 1
  br label %group3.head

r.j.v.head54:                                     ; preds = %r.j.v.body55, %_b1.body50
  %r.j.v57 = phi i64 [ 0, %_b1.body50 ], [ %r.j.v.next58, %r.j.v.body55 ]
  %501 = icmp slt i64 %r.j.v57, 1
  br i1 %501, label %r.j.v.body55, label %r.j.v.exit56

r.j.v.body55:                                     ; preds = %r.j.v.head54
  %502 = mul i64 %r.j.v57, 8
  %503 = add nuw nsw i64 0, %group3
  %504 = mul nuw nsw i64 %503, 8
  %505 = add nuw nsw i64 %504, %_b152
  %506 = mul nuw nsw i64 %505, 8
  %507 = add nuw nsw i64 %506, %502
  %508 = getelementptr inbounds float, float* %p.e, i64 %507
  %509 = bitcast float* %508 to <8 x float>*
  %510 = load <8 x float>, <8 x float>* %509, align 4, !alias.scope !30, !noalias !31
  %511 = load <8 x float>, <8 x float>* %vred.j53, align 32
  %512 = fadd reassoc arcp contract <8 x float> %511, %510
  store <8 x float> %512, <8 x float>* %vred.j53, align 32
  %r.j.v.next58 = add nuw nsw i64 %r.j.v57, 1
  br label %r.j.v.head54

r.j.v.exit56:                                     ; preds = %r.j.v.head54
  %513 = load <8 x float>, <8 x float>* %vred.j53, align 32
  %514 = call reassoc arcp contract float @llvm.vector.reduce.fadd.v8f32(float 0.000000e+00, <8 x float> %513)
  %515 = add nuw nsw i64 0, %group3
  %516 = mul nuw nsw i64 %515, 8
  %517 = add nuw nsw i64 %516, %_b152
  %518 = getelementptr inbounds float, float* %p.s, i64 %517
  store float %514, float* %518, align 4, !alias.scope !32, !noalias !33
  %_b1.next59 = add nuw nsw i64 %_b152, 1
  br label %_b1.head49

group4.head:                                      ; preds = %_b1.exit62, %group3.exit
  %group4 = phi i64 [ 0, %group3.exit ], [ %group4.next, %_b1.exit62 ]
  %519 = icmp slt i64 %group4, 2
  br i1 %519, label %group4.body, label %group4.exit

group4.body:                                      ; preds = %group4.head
  br label %_b1.head60

group4.exit:                                      ; preds = %group4.head
  br label %group5.head

_b1.head60:                                       ; preds = %n.exit66, %group4.body
  %_b163 = phi i64 [ 0, %group4.body ], [ %_b1.next69, %n.exit66 ]
  %520 = icmp slt i64 %_b163, 8
  br i1 %520, label %_b1.body61, label %_b1.exit62

_b1.body61:                                       ; preds = %_b1.head60
  br label %n.head64

_b1.exit62:                                       ; preds = %_b1.head60
  %group4.next = add nuw nsw i64 %group4, 1
  br label %group4.head

n.head64:                                         ; preds = %n.body65, %_b1.body61
  %n67 = phi i64 [ 0, %_b1.body61 ], [ %n.next68, %n.body65 ]
  %521 = icmp slt i64 %n67, 8
  br i1 %521, label %n.body65, label %n.exit66

n.body65:                                         ; preds = %n.head64
  %522 = add nuw nsw i64 0, %group4
  %523 = mul nuw nsw i64 %522, 8
  %524 = add nuw nsw i64 %523, %_b163
  %525 = getelementptr inbounds float, float* %p.s, i64 %524
  %526 = load float, float* %525, align 4, !alias.scope !32, !noalias !33
  %527 = add nuw nsw i64 0, %group4
  %528 = mul nuw nsw i64 %527, 8
  %529 = add nuw nsw i64 %528, %_b163
  %530 = mul nuw nsw i64 %529, 8
  %531 = add nuw nsw i64 %530, %n67
  %532 = getelementptr inbounds float, float* %p.e, i64 %531
  %533 = load float, float* %532, align 4, !alias.scope !30, !noalias !31
  %534 = fdiv reassoc arcp contract float %533, %526
  %535 = add nuw nsw i64 0, %group4
  %536 = mul nuw nsw i64 %535, 8
  %537 = add nuw nsw i64 %536, %_b163
  %538 = mul nuw nsw i64 %537, 8
  %539 = add nuw nsw i64 %538, %n67
  %540 = getelementptr inbounds float, float* %p, i64 %539
  store float %534, float* %540, align 4, !alias.scope !34, !noalias !35
  %n.next68 = add nuw nsw i64 %n67, 1
  br label %n.head64

n.exit66:                                         ; preds = %n.head64
  %_b1.next69 = add nuw nsw i64 %_b163, 1
  br label %_b1.head60

group5.head:                                      ; preds = %i.exit72, %group4.exit
  %group5 = phi i64 [ 0, %group4.exit ], [ %group5.next, %i.exit72 ]
  %541 = icmp slt i64 %group5, 2
  br i1 %541, label %group5.body, label %group5.exit

group5.body:                                      ; preds = %group5.head
  br label %i.head70

group5.exit:                                      ; preds = %group5.head
  ret void

i.head70:                                         ; preds = %d.exit, %group5.body
  %i73 = phi i64 [ 0, %group5.body ], [ %i.next75, %d.exit ]
  %542 = icmp slt i64 %i73, 8
  br i1 %542, label %i.body71, label %i.exit72

i.body71:                                         ; preds = %i.head70
  br label %d.head

i.exit72:                                         ; preds = %i.head70
  %group5.next = add nuw nsw i64 %group5, 1
  br label %group5.head

d.head:                                           ; preds = %r.j.exit, %i.body71
  %d74 = phi i64 [ 0, %i.body71 ], [ %d.next, %r.j.exit ]
  %543 = icmp slt i64 %d74, 8
  br i1 %543, label %d.body, label %d.exit

d.body:                                           ; preds = %d.head
  store float 0.000000e+00, float* %acc.j, align 4
  br label %r.j.head

d.exit:                                           ; preds = %d.head
  %i.next75 = add nuw nsw i64 %i73, 1
  br label %i.head70

r.j.head:                                         ; preds = %r.j.body, %d.body
  %r.j = phi i64 [ 0, %d.body ], [ %r.j.next, %r.j.body ]
  %544 = icmp slt i64 %r.j, 8
  br i1 %544, label %r.j.body, label %r.j.exit

r.j.body:                                         ; preds = %r.j.head
  %545 = add nuw nsw i64 0, %group5
  %546 = mul nuw nsw i64 %545, 8
  %547 = add nuw nsw i64 %546, %r.j
  %548 = mul nuw nsw i64 %547, 8
  %549 = add nuw nsw i64 %548, %d74
  %550 = getelementptr inbounds float, float* %v, i64 %549
  %551 = load float, float* %550, align 4, !alias.scope !36, !noalias !37
  %552 = add nuw nsw i64 0, %group5
  %553 = mul nuw nsw i64 %552, 8
  %554 = add nuw nsw i64 %553, %i73
  %555 = mul nuw nsw i64 %554, 8
  %556 = add nuw nsw i64 %555, %r.j
  %557 = getelementptr inbounds float, float* %p, i64 %556
  %558 = load float, float* %557, align 4, !alias.scope !34, !noalias !35
  %559 = fmul reassoc arcp contract float %558, %551
  %560 = load float, float* %acc.j, align 4
  %561 = fadd reassoc arcp contract float %560, %559
  store float %561, float* %acc.j, align 4
  %r.j.next = add nuw nsw i64 %r.j, 1
  br label %r.j.head

r.j.exit:                                         ; preds = %r.j.head
  %562 = load float, float* %acc.j, align 4
  %563 = add nuw nsw i64 0, %group5
  %564 = mul nuw nsw i64 %563, 8
  %565 = add nuw nsw i64 %564, %i73
  %566 = mul nuw nsw i64 %565, 8
  %567 = add nuw nsw i64 %566, %d74
  %568 = getelementptr inbounds float, float* %o, i64 %567
  store float %562, float* %568, align 4, !alias.scope !38, !noalias !39
  %d.next = add nuw nsw i64 %d74, 1
  br label %d.head
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sqrt.f32(float) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare <8 x float> @llvm.maxnum.v8f32(<8 x float>, <8 x float>) #1

; Function Attrs: nofree nosync nounwind readnone willreturn
declare float @llvm.vector.reduce.fmax.v8f32(<8 x float>) #2

; Function Attrs: nounwind readnone willreturn
declare float @expf(float) #3

; Function Attrs: nofree nosync nounwind readnone willreturn
declare float @llvm.vector.reduce.fadd.v8f32(float, <8 x float>) #2

attributes #0 = { nounwind }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { nofree nosync nounwind readnone willreturn }
attributes #3 = { nounwind readnone willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"s"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20}
!4 = distinct !{!4, !2, !"q"}
!5 = distinct !{!5, !2, !"q.pack"}
!6 = distinct !{!6, !2, !"k"}
!7 = distinct !{!7, !2, !"k.pack"}
!8 = distinct !{!8, !2, !"v"}
!9 = distinct !{!9, !2, !"v.pack"}
!10 = distinct !{!10, !2, !"s.pack"}
!11 = distinct !{!11, !2, !"p"}
!12 = distinct !{!12, !2, !"p.pack"}
!13 = distinct !{!13, !2, !"p.mx"}
!14 = distinct !{!14, !2, !"p.mx.pack"}
!15 = distinct !{!15, !2, !"p.e"}
!16 = distinct !{!16, !2, !"p.e.pack"}
!17 = distinct !{!17, !2, !"p.s"}
!18 = distinct !{!18, !2, !"p.s.pack"}
!19 = distinct !{!19, !2, !"o"}
!20 = distinct !{!20, !2, !"o.pack"}
!21 = distinct !{!21, !22}
!22 = !{!"llvm.loop.vectorize.enable", i1 true}
!23 = !{!6}
!24 = !{!4, !5, !7, !8, !9, !1, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20}
!25 = !{!4}
!26 = !{!5, !6, !7, !8, !9, !1, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20}
!27 = distinct !{!27, !22}
!28 = !{!13}
!29 = !{!4, !5, !6, !7, !8, !9, !1, !10, !11, !12, !14, !15, !16, !17, !18, !19, !20}
!30 = !{!15}
!31 = !{!4, !5, !6, !7, !8, !9, !1, !10, !11, !12, !13, !14, !16, !17, !18, !19, !20}
!32 = !{!17}
!33 = !{!4, !5, !6, !7, !8, !9, !1, !10, !11, !12, !13, !14, !15, !16, !18, !19, !20}
!34 = !{!11}
!35 = !{!4, !5, !6, !7, !8, !9, !1, !10, !12, !13, !14, !15, !16, !17, !18, !19, !20}
!36 = !{!8}
!37 = !{!4, !5, !6, !7, !9, !1, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20}
!38 = !{!19}
!39 = !{!4, !5, !6, !7, !8, !9, !1, !10, !11, !12, !13, !14, !15, !16, !17, !18, !20}
